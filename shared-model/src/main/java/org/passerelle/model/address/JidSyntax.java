package org.passerelle.model.address;

import org.passerelle.model.address.AddressException.Reason;

/**
 * Cheap syntax checks of JID strings (RFC 7622 §3), without stringprep or PRECIS: lengths,
 * forbidden characters, spaces and controls, and a valid domain name. What it lets through may
 * still be refused by a full PRECIS check (case mapping, normalization, unassigned code points);
 * what it refuses is refused by every conforming server.
 */
public final class JidSyntax {
  /** RFC 7622 §3.2, §3.3, §3.4: each part of a JID is 1 to 1023 octets of UTF-8. */
  public static final int MAX_PART_OCTETS = 1023;

  /** The characters RFC 7622 §3.3.1 forbids in a localpart, beyond the PRECIS rules. */
  static final String LOCALPART_FORBIDDEN = "\"&'/:<>@";

  private JidSyntax() {}

  /**
   * Checks a JID written as {@code [localpart@]domainpart[/resourcepart]}.
   *
   * @throws AddressException with reason {@link Reason#MALFORMED_JID} and a message naming the part
   *     and the rule that failed
   */
  public static void check(String jid) {
    if (jid == null || jid.isEmpty()) {
      throw new AddressException(Reason.MALFORMED_JID, "JID is empty (RFC 7622 §3.1)");
    }
    int slash = jid.indexOf('/');
    int bareEnd = slash < 0 ? jid.length() : slash;
    int at = jid.indexOf('@');
    if (at >= bareEnd) {
      at = -1;
    }
    if (at >= 0) {
      checkLocalpart(jid, 0, at, Reason.MALFORMED_JID);
    }
    Domains.jidDomainToAscii(jid, at + 1, bareEnd, Reason.MALFORMED_JID);
    if (slash >= 0) {
      checkResourcepart(jid, slash + 1, jid.length(), Reason.MALFORMED_JID);
    }
  }

  /** A localpart in its escaped form, {@code s[from, to)}. */
  static void checkLocalpart(String s, int from, int to, Reason reason) {
    if (from == to) {
      throw new AddressException(reason, "localpart is empty (RFC 7622 §3.3)");
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (LOCALPART_FORBIDDEN.indexOf(c) >= 0) {
        throw new AddressException(
            reason,
            "localpart has "
                + PercentEncoding.describe(c)
                + ", which RFC 7622 §3.3.1 forbids (XEP-0106 escapes it as "
                + JidEscaping.escapeOf(c)
                + ")");
      }
      if (c == ' ') {
        throw new AddressException(
            reason,
            "localpart has a space, which RFC 7622 §3.3 forbids (XEP-0106 escapes it as \\20)");
      }
    }
    checkCharacters(s, from, to, "localpart", true, reason);
    checkLength(s, from, to, "localpart", "RFC 7622 §3.3", reason);
  }

  /** A resourcepart, {@code s[from, to)}: any Unicode text but controls (PRECIS OpaqueString). */
  static void checkResourcepart(String s, int from, int to, Reason reason) {
    if (from == to) {
      throw new AddressException(reason, "resourcepart is empty (RFC 7622 §3.4)");
    }
    checkCharacters(s, from, to, "resourcepart", false, reason);
    checkLength(s, from, to, "resourcepart", "RFC 7622 §3.4", reason);
  }

  /**
   * Refuses unpaired surrogates and control characters, and, when {@code noSpaces}, space
   * separators (the IdentifierClass of RFC 8264 §4.2 has none of them).
   */
  private static void checkCharacters(
      String s, int from, int to, String part, boolean noSpaces, Reason reason) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7F) {
        continue;
      }
      int cp = s.codePointAt(i);
      if (Character.isSurrogate(c) && !Character.isSupplementaryCodePoint(cp)) {
        throw new AddressException(reason, part + " is not valid UTF-16: unpaired surrogate");
      }
      int type = Character.getType(cp);
      if (type == Character.CONTROL) {
        throw new AddressException(
            reason,
            part
                + " has the control character "
                + PercentEncoding.describe(cp)
                + ", which PRECIS forbids in every part of a JID (RFC 8264 §4)");
      }
      if (noSpaces
          && (type == Character.SPACE_SEPARATOR
              || type == Character.LINE_SEPARATOR
              || type == Character.PARAGRAPH_SEPARATOR)) {
        throw new AddressException(
            reason,
            part
                + " has the space "
                + PercentEncoding.describe(cp)
                + ", which RFC 7622 §3.3 forbids (PRECIS IdentifierClass, RFC 8264 §4.2)");
      }
      if (Character.isSupplementaryCodePoint(cp)) {
        i++;
      }
    }
  }

  /** At most {@link #MAX_PART_OCTETS} octets of UTF-8; assumes no unpaired surrogates. */
  static void checkLength(String s, int from, int to, String part, String rule, Reason reason) {
    if (to - from <= MAX_PART_OCTETS / 3) {
      return; // even three octets per char fit
    }
    int octets = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      // A surrogate pair is four octets, two for each half.
      octets += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
    }
    if (octets > MAX_PART_OCTETS) {
      throw new AddressException(
          reason,
          part + " is " + octets + " octets, more than " + MAX_PART_OCTETS + " (" + rule + ")");
    }
  }
}
