package org.passerelle.gateway.sip;

/**
 * Checks a SIP or SIPS URI against a strict subset of RFC 3261 §25.1, for {@link RawMessage}:
 * lower-case scheme, an optional user without password, a host name or IPv4 address, a port without
 * leading zeros, and parameters; no IPv6 reference and no headers. A URI outside the subset is left
 * to JAIN-SIP, which may still accept it.
 */
final class SipUriSyntax {

  private SipUriSyntax() {}

  /** The URI's host as written, or {@code null} when the URI is outside the subset. */
  static String host(String uri) {
    int at;
    if (uri.startsWith("sip:")) {
      at = 4;
    } else if (uri.startsWith("sips:")) {
      at = 5;
    } else {
      return null;
    }
    int userEnd = uri.indexOf('@', at);
    if (userEnd >= 0) {
      if (userEnd == at || !all(uri, at, userEnd, SipUriSyntax::isUserChar)) {
        return null;
      }
      at = userEnd + 1;
    }
    int hostEnd = at;
    while (hostEnd < uri.length() && uri.charAt(hostEnd) != ':' && uri.charAt(hostEnd) != ';') {
      hostEnd++;
    }
    String host = uri.substring(at, hostEnd);
    if (!isHost(host)) {
      return null;
    }
    at = hostEnd;
    if (at < uri.length() && uri.charAt(at) == ':') {
      int portEnd = at + 1;
      while (portEnd < uri.length() && uri.charAt(portEnd) != ';') {
        portEnd++;
      }
      if (!isPort(uri.substring(at + 1, portEnd))) {
        return null;
      }
      at = portEnd;
    }
    return parameters(uri, at) ? host : null;
  }

  /** RFC 3261 §25.1: hostname / IPv4address, each label starting and ending alphanumeric. */
  static boolean isHost(String host) {
    if (host.isEmpty() || host.length() > 255) {
      return false;
    }
    String[] labels = host.split("\\.", -1);
    for (String label : labels) {
      if (label.isEmpty()
          || !isAlphanumeric(label.charAt(0))
          || !isAlphanumeric(label.charAt(label.length() - 1))
          || !all(label, 0, label.length(), c -> isAlphanumeric(c) || c == '-')) {
        return false;
      }
    }
    char top = labels[labels.length - 1].charAt(0);
    return !(top >= '0' && top <= '9') || isIpv4(labels);
  }

  private static boolean isIpv4(String[] labels) {
    if (labels.length != 4) {
      return false;
    }
    for (String label : labels) {
      if (label.length() > 3
          || (label.length() > 1 && label.charAt(0) == '0')
          || !all(label, 0, label.length(), c -> c >= '0' && c <= '9')
          || Integer.parseInt(label) > 255) {
        return false;
      }
    }
    return true;
  }

  /** 1–65535, without leading zeros (JAIN-SIP would write the number without them). */
  static boolean isPort(String port) {
    return !port.isEmpty()
        && port.length() <= 5
        && port.charAt(0) != '0'
        && all(port, 0, port.length(), c -> c >= '0' && c <= '9')
        && Integer.parseInt(port) <= 65535;
  }

  /** RFC 3261 §25.1: *( ";" pname [ "=" pvalue ] ), to the end of the URI. */
  private static boolean parameters(String uri, int from) {
    int at = from;
    while (at < uri.length()) {
      if (uri.charAt(at) != ';') {
        return false;
      }
      int end = uri.indexOf(';', at + 1);
      if (end < 0) {
        end = uri.length();
      }
      int equals = uri.indexOf('=', at + 1);
      int nameEnd = equals < 0 || equals > end ? end : equals;
      if (nameEnd == at + 1 || !all(uri, at + 1, nameEnd, SipUriSyntax::isParamChar)) {
        return false;
      }
      if (nameEnd < end
          && (end == nameEnd + 1 || !all(uri, nameEnd + 1, end, SipUriSyntax::isParamChar))) {
        return false;
      }
      at = end;
    }
    return true;
  }

  /** unreserved / escaped / user-unreserved, without the ";", "?" and "/" left to JAIN-SIP. */
  private static boolean isUserChar(char c) {
    return isUnreserved(c) || c == '%' || "&=+$,".indexOf(c) >= 0;
  }

  /** param-unreserved / unreserved / escaped. */
  private static boolean isParamChar(char c) {
    return isUnreserved(c) || c == '%' || "[]/:&+$".indexOf(c) >= 0;
  }

  private static boolean isUnreserved(char c) {
    return isAlphanumeric(c) || "-_.!~*'()".indexOf(c) >= 0;
  }

  static boolean isAlphanumeric(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  /** Whether every char in [from, to) passes, '%' only as the start of an escape. */
  private static boolean all(String s, int from, int to, CharTest test) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!test.test(c)) {
        return false;
      }
      if (c == '%') {
        if (i + 2 >= to || !isHex(s.charAt(i + 1)) || !isHex(s.charAt(i + 2))) {
          return false;
        }
        i += 2;
      }
    }
    return true;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  @FunctionalInterface
  interface CharTest {
    boolean test(char c);
  }
}
