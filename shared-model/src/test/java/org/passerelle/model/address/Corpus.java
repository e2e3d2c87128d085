package org.passerelle.model.address;

import java.util.Random;
import java.util.stream.Stream;

/**
 * Seeded generator of local parts and resources for the round-trip properties: ASCII punctuation
 * (every character XEP-0106 escapes and every one RFC 7247 §6.5 percent-encodes), spaces inside,
 * backslashes alone and before real, upper-case and partial escape codes, and Unicode from the
 * Latin, Greek, CJK and supplementary planes.
 */
final class Corpus {
  private static final String[] PIECES = {
    "a",
    "b",
    "Z",
    "q",
    "0",
    "7",
    "alice",
    "O",
    "x",
    "!",
    "\"",
    "#",
    "$",
    "%",
    "&",
    "'",
    "(",
    ")",
    "*",
    "+",
    ",",
    "-",
    ".",
    "/",
    ":",
    ";",
    "<",
    "=",
    ">",
    "?",
    "@",
    "[",
    "\\",
    "]",
    "^",
    "_",
    "`",
    "{",
    "|",
    "}",
    "~",
    " ",
    "ü",
    "ß",
    "é",
    "Ω",
    "中",
    "文",
    "\uD834\uDD1E",
    "\\20",
    "\\27",
    "\\5c",
    "\\2f",
    "\\2F",
    "\\4",
    "\\zz",
    "%20",
    "%C3%BC",
  };

  private Corpus() {}

  /** {@code count} non-empty user parts, none starting or ending with a space (XEP-0106 §3.2). */
  static Stream<String> users(int count, long seed) {
    Random random = new Random(seed);
    return Stream.generate(() -> user(random)).limit(count);
  }

  static String user(Random random) {
    StringBuilder out = new StringBuilder();
    int pieces = 1 + random.nextInt(12);
    for (int i = 0; i < pieces; i++) {
      out.append(PIECES[random.nextInt(PIECES.length)]);
    }
    String text = out.toString().strip();
    return text.isEmpty() ? "s" : text;
  }

  /** A resourcepart, or {@code null} for none (one in three). */
  static String resource(Random random) {
    if (random.nextInt(3) == 0) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    int pieces = 1 + random.nextInt(6);
    for (int i = 0; i < pieces; i++) {
      out.append(PIECES[random.nextInt(PIECES.length)]);
    }
    return out.toString();
  }
}
