package org.passerelle.gateway.presence;

/**
 * XMPP {@code <priority/>} (an integer from -128 to 127, RFC 6121 §4.7.2.3) ⇄ PIDF {@code <contact
 * priority>} (a qvalue from 0 to 1 with at most three decimals, RFC 3863 §4.1.5).
 *
 * <p>RFC 8048 §6.2: a negative XMPP priority MUST NOT be mapped; 0 maps to 0 and 127 to 1, the
 * values between to distinct qvalues, "e.g." 1 to 0.007, 2 to 0.015 and 126 to 0.992. Those
 * examples are {@code floor(p × 1000 / 127)} thousandths, which we use; since 1000 / 127 > 1, the
 * 128 values stay distinct. Back (§6.3 Table 2), a qvalue of {@code m} thousandths becomes {@code
 * ceil(m × 127 / 1000)}: the inverse of the first mapping, so every priority 0..127 survives the
 * round trip, and any other qvalue lands on the nearest priority above it.
 */
public final class ContactPriority {
  private static final int THOUSANDTHS = 1000;

  private ContactPriority() {}

  /**
   * The PIDF qvalue of an XMPP priority, or {@code null} for a negative one (RFC 8048 §6.2: MUST
   * NOT map): {@code 0}, {@code 1}, or {@code 0.} and three digits.
   */
  public static String toQvalue(int xmppPriority) {
    if (xmppPriority < 0) {
      return null;
    }
    if (xmppPriority > PresenceState.MAX_PRIORITY) {
      throw new IllegalArgumentException("XMPP priority above 127: " + xmppPriority);
    }
    if (xmppPriority == 0) {
      return "0";
    }
    if (xmppPriority == PresenceState.MAX_PRIORITY) {
      return "1";
    }
    int m = xmppPriority * THOUSANDTHS / PresenceState.MAX_PRIORITY;
    char[] text = {'0', '.', digit(m / 100), digit(m / 10 % 10), digit(m % 10)};
    return new String(text);
  }

  /**
   * The XMPP priority of a PIDF qvalue, or -1 if the text is not a qvalue. Surrounding whitespace
   * is allowed; so are more than three decimals (RFC 3863's schema allows three; the rest is
   * ignored rather than the whole value).
   */
  public static int fromQvalue(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && isXmlSpace(text.charAt(start))) {
      start++;
    }
    while (end > start && isXmlSpace(text.charAt(end - 1))) {
      end--;
    }
    if (start == end) {
      return -1;
    }
    char unit = text.charAt(start);
    if (unit != '0' && unit != '1') {
      return -1;
    }
    int thousandths = unit == '1' ? THOUSANDTHS : 0;
    int i = start + 1;
    if (i < end) {
      if (text.charAt(i) != '.') {
        return -1;
      }
      int scale = 100;
      for (i++; i < end; i++) {
        char c = text.charAt(i);
        if (c < '0' || c > '9') {
          return -1;
        }
        int d = c - '0';
        if (unit == '1' && d != 0) {
          return -1;
        }
        thousandths += d * scale;
        scale /= 10;
      }
    }
    return (thousandths * PresenceState.MAX_PRIORITY + THOUSANDTHS - 1) / THOUSANDTHS;
  }

  private static char digit(int d) {
    return (char) ('0' + d);
  }

  private static boolean isXmlSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }
}
