package org.passerelle.model;

/**
 * The characters XML 1.0 can carry (§2.2 "Char"): tab, LF, CR, and U+0020–U+D7FF, U+E000–U+FFFD,
 * U+10000–U+10FFFF. Anything else (other C0 controls, U+FFFE, U+FFFF, a lone surrogate) cannot even
 * be escaped; a stream carrying one is refused as not well-formed, so text from elsewhere (a SIP
 * body) must be cleaned before it goes into a stanza.
 */
public final class XmlCharacters {
  /** What stands in for a character XML cannot carry. */
  public static final char REPLACEMENT = '\uFFFD';

  private XmlCharacters() {}

  /** Whether XML 1.0 can carry {@code codePoint}. */
  public static boolean isLegal(int codePoint) {
    return codePoint == 0x9
        || codePoint == 0xA
        || codePoint == 0xD
        || (codePoint >= 0x20 && codePoint <= 0xD7FF)
        || (codePoint >= 0xE000 && codePoint <= 0xFFFD)
        || (codePoint >= 0x10000 && codePoint <= 0x10FFFF);
  }

  /**
   * {@code text} with every character XML cannot carry replaced by U+FFFD; the same instance when
   * there is none (the common case costs one scan).
   */
  public static String replaceIllegal(String text) {
    int i = 0;
    while (i < text.length()) {
      int c = text.codePointAt(i);
      if (!isLegal(c)) {
        break;
      }
      i += Character.charCount(c);
    }
    if (i == text.length()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length()).append(text, 0, i);
    while (i < text.length()) {
      int c = text.codePointAt(i);
      if (isLegal(c)) {
        out.appendCodePoint(c);
      } else {
        out.append(REPLACEMENT);
      }
      i += Character.charCount(c);
    }
    return out.toString();
  }
}
