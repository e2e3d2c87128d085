package org.passerelle.model.address;

import java.net.IDN;
import java.util.Locale;
import org.passerelle.model.address.AddressException.Reason;

/**
 * Host names on both sides: lower-case A-labels in SIP URIs (RFC 3261 §25.1 host names are ASCII),
 * U-labels in JIDs (RFC 7622 §3.2.1), and IP literals kept as they are.
 *
 * <p>{@link IDN} implements IDNA2003 (RFC 3490), not the IDNA2008 that RFC 7622 names; the two
 * differ for a few characters (IDNA2003 maps {@code ß} to {@code ss} and drops ZWJ/ZWNJ), which is
 * the only place where the gateway's domain mapping can disagree with an IDNA2008 peer.
 */
final class Domains {
  /** RFC 1035 §2.3.4: 255 octets on the wire, i.e. 253 characters without the final dot. */
  static final int MAX_HOST_LENGTH = 253;

  /** RFC 1035 §2.3.4. */
  static final int MAX_LABEL_LENGTH = 63;

  /**
   * {@link IDN} knows Unicode 3.2 only; without this flag every script encoded since would be
   * refused. Both directions use the same flags, so a name converts back to where it started.
   */
  static final int IDN_FLAGS = IDN.ALLOW_UNASSIGNED;

  private static final String ACE_PREFIX = "xn--";

  private Domains() {}

  /**
   * The host of a SIP URI, {@code text[from, to)}: a host name, an IPv4 address or a bracketed IPv6
   * reference, returned lower-case without a trailing dot.
   */
  static String sipHost(String text, int from, int to) {
    if (from == to) {
      throw new AddressException(Reason.MALFORMED_URI, "SIP URI has no host (RFC 3261 §25.1)");
    }
    for (int i = from; i < to; i++) {
      if (text.charAt(i) >= 128) {
        throw new AddressException(
            Reason.MALFORMED_URI,
            "SIP URI host has "
                + PercentEncoding.describe(text.codePointAt(i))
                + "; internationalized names must be written as A-labels (RFC 3261 §25.1)");
      }
    }
    int end = to > from + 1 && text.charAt(to - 1) == '.' ? to - 1 : to;
    String host = text.substring(from, end).toLowerCase(Locale.ROOT);
    checkAscii(host, Reason.MALFORMED_URI, "SIP URI host");
    return host;
  }

  /**
   * The domainpart of a JID, {@code jid[from, to)}, as the lower-case ASCII host of a SIP URI:
   * trailing dot removed (RFC 7622 §3.2), U-labels turned into A-labels.
   */
  static String jidDomainToAscii(String jid, int from, int to, Reason reason) {
    int end = to > from && jid.charAt(to - 1) == '.' ? to - 1 : to;
    if (end == from) {
      throw new AddressException(reason, "domainpart is empty (RFC 7622 §3.2)");
    }
    boolean ascii = true;
    for (int i = from; i < end && ascii; i++) {
      ascii = jid.charAt(i) < 128;
    }
    String host;
    if (ascii) {
      host = jid.substring(from, end).toLowerCase(Locale.ROOT);
    } else {
      JidSyntax.checkLength(jid, from, end, "domainpart", "RFC 7622 §3.2", reason);
      try {
        host = IDN.toASCII(jid.substring(from, end), IDN_FLAGS).toLowerCase(Locale.ROOT);
      } catch (IllegalArgumentException e) {
        throw new AddressException(
            reason, "domainpart is not a valid internationalized domain name (RFC 7622 §3.2)");
      }
    }
    checkAscii(host, reason, "domainpart");
    return host;
  }

  /** The domainpart of a JID for a valid SIP URI host: A-labels become U-labels. */
  static String sipHostToJidDomain(String host) {
    if (!hasAceLabel(host)) {
      return host;
    }
    String unicode = IDN.toUnicode(host, IDN_FLAGS);
    if (hasAceLabel(unicode)) {
      // IDN.toUnicode gives back a label it cannot decode unchanged.
      throw new AddressException(
          Reason.NO_JID_EQUIVALENT, "SIP URI host has an A-label that does not decode (RFC 5890)");
    }
    JidSyntax.checkLength(
        unicode, 0, unicode.length(), "domainpart", "RFC 7622 §3.2", Reason.NO_JID_EQUIVALENT);
    return unicode;
  }

  private static boolean hasAceLabel(String host) {
    int label = 0;
    while (label >= 0) {
      if (host.regionMatches(true, label, ACE_PREFIX, 0, ACE_PREFIX.length())) {
        return true;
      }
      int dot = host.indexOf('.', label);
      label = dot < 0 ? -1 : dot + 1;
    }
    return false;
  }

  /** Checks a lower-case ASCII host: an IPv6 reference, an IPv4 address or an LDH host name. */
  private static void checkAscii(String host, Reason reason, String what) {
    if (host.charAt(0) == '[') {
      if (host.charAt(host.length() - 1) != ']' || !isIpv6(host, 1, host.length() - 1)) {
        throw new AddressException(
            reason, what + " is not a valid bracketed IPv6 address (RFC 3986 §3.2.2)");
      }
      return;
    }
    if (looksNumeric(host)) {
      if (!isIpv4(host, 0, host.length())) {
        throw new AddressException(reason, what + " is not a valid IPv4 address (RFC 3986 §3.2.2)");
      }
      return;
    }
    if (host.length() > MAX_HOST_LENGTH) {
      throw new AddressException(
          reason, what + " is longer than " + MAX_HOST_LENGTH + " characters (RFC 1035 §2.3.4)");
    }
    int start = 0;
    while (true) {
      int dot = host.indexOf('.', start);
      int end = dot < 0 ? host.length() : dot;
      checkLabel(host, start, end, reason, what);
      if (dot < 0) {
        if (!isLetter(host.charAt(start))) {
          throw new AddressException(
              reason,
              what
                  + " top label '"
                  + host.substring(start)
                  + "' must start with a letter (RFC 3261 §25.1 toplabel)");
        }
        return;
      }
      start = dot + 1;
    }
  }

  private static void checkLabel(String host, int from, int to, Reason reason, String what) {
    if (from == to) {
      throw new AddressException(reason, what + " has an empty label (RFC 1035 §2.3.1)");
    }
    if (to - from > MAX_LABEL_LENGTH) {
      throw new AddressException(
          reason,
          what + " has a label longer than " + MAX_LABEL_LENGTH + " characters (RFC 1035 §2.3.4)");
    }
    for (int i = from; i < to; i++) {
      char c = host.charAt(i);
      if (!isLetter(c) && !(c >= '0' && c <= '9') && c != '-') {
        throw new AddressException(
            reason,
            what
                + " has "
                + PercentEncoding.describe(c)
                + "; labels hold only letters, digits and '-' (RFC 1035 §2.3.1)");
      }
    }
    if (host.charAt(from) == '-' || host.charAt(to - 1) == '-') {
      throw new AddressException(
          reason, what + " has a label that starts or ends with '-' (RFC 1035 §2.3.1)");
    }
  }

  private static boolean isLetter(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean looksNumeric(String host) {
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c != '.' && !(c >= '0' && c <= '9')) {
        return false;
      }
    }
    return true;
  }

  /** Dotted quad, each part 0 to 255 with one to three digits (RFC 3261 §25.1 IPv4address). */
  static boolean isIpv4(String s, int from, int to) {
    int parts = 0;
    int i = from;
    while (true) {
      int start = i;
      int value = 0;
      while (i < to && i - start < 3 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        value = value * 10 + (s.charAt(i++) - '0');
      }
      if (i == start || value > 255) {
        return false;
      }
      parts++;
      if (i == to) {
        return parts == 4;
      }
      if (s.charAt(i) != '.' || parts == 4) {
        return false;
      }
      i++;
    }
  }

  /**
   * RFC 4291 §2.2 text forms: eight groups of one to four hex digits, one {@code ::} standing for
   * one or more zero groups, and a dotted quad in place of the last two groups.
   */
  static boolean isIpv6(String s, int from, int to) {
    int groups = 0;
    boolean compressed = false;
    int i = from;
    if (to - from >= 2 && s.charAt(i) == ':' && s.charAt(i + 1) == ':') {
      compressed = true;
      i += 2;
      if (i == to) {
        return true;
      }
    }
    while (i < to) {
      int start = i;
      while (i < to && i - start < 5 && PercentEncoding.isHex(s.charAt(i))) {
        i++;
      }
      if (i < to && s.charAt(i) == '.') {
        // The embedded IPv4 address must end the text and takes two groups.
        return isIpv4(s, start, to) && (compressed ? groups + 2 <= 7 : groups + 2 == 8);
      }
      if (i == start || i - start > 4) {
        return false;
      }
      groups++;
      if (i == to) {
        break;
      }
      if (s.charAt(i) != ':') {
        return false;
      }
      i++;
      if (i < to && s.charAt(i) == ':') {
        if (compressed) {
          return false;
        }
        compressed = true;
        i++;
        if (i == to) {
          break;
        }
      } else if (i == to) {
        return false;
      }
    }
    return compressed ? groups <= 7 : groups == 8;
  }
}
