package org.passerelle.model.address;

/**
 * JID escaping (XEP-0106): the characters RFC 7622 forbids in a localpart, and the space, written
 * as {@code \hh} with the lower-case hex of the character (case is significant, §3.1).
 *
 * <p>A backslash is escaped as {@code \5c} only where it starts one of the ten escape sequences
 * (§4.1 rule 7, §4.2 step 3); elsewhere it stays, and unescaping leaves unknown and partial
 * sequences alone (§4.3), so {@code unescape(escape(s)) == s} for every string. Some libraries
 * (jxmpp) follow the examples of XEP-0106 §5.1 instead and escape every backslash; their JIDs
 * unescape the same, but do not come back byte for byte.
 */
public final class JidEscaping {
  /** The unescaped characters, in the order of the XEP-0106 §3.2 table. */
  private static final String ESCAPABLE = " \"&'/:<>@\\";

  /** Their escape codes, two lower-case hex digits each, in the same order. */
  private static final String CODES = "20222627" + "2f3a3c3e" + "405c";

  private JidEscaping() {}

  /**
   * The escaped form of a localpart (XEP-0106 §4.2 steps 3 and 4). Returns {@code raw} itself when
   * nothing needs escaping.
   */
  public static String escapeLocalpart(String raw) {
    int first = firstToEscape(raw);
    if (first < 0) {
      return raw;
    }
    StringBuilder out = new StringBuilder(raw.length() + 16).append(raw, 0, first);
    for (int i = first; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (needsEscape(raw, i)) {
        int index = ESCAPABLE.indexOf(c);
        out.append('\\').append(CODES, 2 * index, 2 * index + 2);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * The unescaped form of a localpart: only the ten sequences of XEP-0106 §3.3 are turned back, in
   * lower case only (§3.1, §4.3). Returns {@code escaped} itself when it has none.
   */
  public static String unescapeLocalpart(String escaped) {
    int first = nextSequence(escaped, 0);
    if (first < 0) {
      return escaped;
    }
    StringBuilder out = new StringBuilder(escaped.length()).append(escaped, 0, first);
    int i = first;
    while (i < escaped.length()) {
      int index = codeIndex(escaped, i);
      if (index >= 0) {
        out.append(ESCAPABLE.charAt(index));
        i += 3;
      } else {
        out.append(escaped.charAt(i++));
      }
    }
    return out.toString();
  }

  /** The escape sequence of one escapable character, for error messages. */
  static String escapeOf(char c) {
    int index = ESCAPABLE.indexOf(c);
    return index < 0 ? String.valueOf(c) : "\\" + CODES.substring(2 * index, 2 * index + 2);
  }

  private static int firstToEscape(String raw) {
    for (int i = 0; i < raw.length(); i++) {
      if (needsEscape(raw, i)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean needsEscape(String s, int i) {
    char c = s.charAt(i);
    if (c == '\\') {
      return codeIndex(s, i) >= 0;
    }
    return c <= '@' && ESCAPABLE.indexOf(c) >= 0;
  }

  private static int nextSequence(String s, int from) {
    for (int i = s.indexOf('\\', from); i >= 0; i = s.indexOf('\\', i + 1)) {
      if (codeIndex(s, i) >= 0) {
        return i;
      }
    }
    return -1;
  }

  /** The index in {@link #ESCAPABLE} of the sequence {@code \hh} at {@code i}, or -1. */
  private static int codeIndex(String s, int i) {
    if (i + 2 >= s.length() || s.charAt(i) != '\\') {
      return -1;
    }
    char h1 = s.charAt(i + 1);
    char h2 = s.charAt(i + 2);
    for (int k = 0; k < CODES.length(); k += 2) {
      if (CODES.charAt(k) == h1 && CODES.charAt(k + 1) == h2) {
        return k / 2;
      }
    }
    return -1;
  }
}
