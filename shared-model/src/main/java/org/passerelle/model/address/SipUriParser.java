package org.passerelle.model.address;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.passerelle.model.address.AddressException.Reason;
import org.passerelle.model.address.SipUri.Scheme;

/** Reads the text of a SIP or SIPS URI into a {@link SipUri} (RFC 3261 §25.1), left to right. */
final class SipUriParser {
  private SipUriParser() {}

  static SipUri parse(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new AddressException(
          Reason.MALFORMED_URI, "not a URI: no scheme before ':' (RFC 3261 §19.1.1)");
    }
    Scheme scheme = schemeOf(text, colon);
    int end = text.length();
    int pos = colon + 1;
    String user = null;
    String rawUser = null;
    int at = text.indexOf('@', pos);
    if (at >= 0) {
      if (text.indexOf('@', at + 1) >= 0) {
        throw new AddressException(
            Reason.MALFORMED_URI, "SIP URI has more than one '@' (RFC 3261 §25.1)");
      }
      int password = text.indexOf(':', pos);
      if (password >= 0 && password < at) {
        throw new AddressException(
            Reason.UNSUPPORTED_URI,
            "SIP URI has a password in its user part, which RFC 3261 §19.1.1 advises against");
      }
      if (at == pos) {
        throw new AddressException(
            Reason.MALFORMED_URI, "SIP URI user part is empty (RFC 3261 §25.1)");
      }
      user = PercentEncoding.decode(text, pos, at, PercentEncoding.USER, "SIP URI user part");
      // Decoding only shortens, so an unchanged length means there was nothing to decode.
      rawUser = user.length() == at - pos ? user : text.substring(pos, at);
      pos = at + 1;
    }
    int hostEnd = hostEnd(text, pos);
    String host = Domains.sipHost(text, pos, hostEnd);
    pos = hostEnd;
    int port = SipUri.NO_PORT;
    if (pos < end && text.charAt(pos) == ':') {
      int portEnd = pos + 1;
      while (portEnd < end && text.charAt(portEnd) >= '0' && text.charAt(portEnd) <= '9') {
        portEnd++;
      }
      port = port(text, pos + 1, portEnd);
      pos = portEnd;
    }
    Map<String, String> parameters = Map.of();
    if (pos < end && text.charAt(pos) == ';') {
      LinkedHashMap<String, String> map = new LinkedHashMap<>();
      while (pos < end && text.charAt(pos) == ';') {
        int next = pos + 1;
        while (next < end && text.charAt(next) != ';' && text.charAt(next) != '?') {
          next++;
        }
        addParameter(map, text, pos + 1, next);
        pos = next;
      }
      parameters = Collections.unmodifiableMap(map);
    }
    if (pos < end && text.charAt(pos) == '?') {
      throw new AddressException(
          Reason.UNSUPPORTED_URI, "SIP URI has headers ('?'), which an address does not carry");
    }
    if (pos < end) {
      throw new AddressException(
          Reason.MALFORMED_URI,
          "SIP URI has "
              + PercentEncoding.describe(text.codePointAt(pos))
              + " at index "
              + pos
              + " where a port, ';' or the end was expected (RFC 3261 §25.1)");
    }
    return new SipUri(scheme, user, rawUser, host, port, parameters);
  }

  private static Scheme schemeOf(String text, int colon) {
    // RFC 3261 §19.1.4: the scheme compares case-insensitively.
    if (colon == 3 && text.regionMatches(true, 0, "sip", 0, 3)) {
      return Scheme.SIP;
    }
    if (colon == 4 && text.regionMatches(true, 0, "sips", 0, 4)) {
      return Scheme.SIPS;
    }
    throw new AddressException(
        Reason.UNSUPPORTED_URI, "URI scheme is not sip or sips (RFC 3261 §19.1)");
  }

  private static int hostEnd(String text, int pos) {
    if (pos < text.length() && text.charAt(pos) == '[') {
      int close = text.indexOf(']', pos);
      if (close < 0) {
        throw new AddressException(
            Reason.MALFORMED_URI, "SIP URI host has '[' without ']' (RFC 3261 §25.1)");
      }
      return close + 1;
    }
    int i = pos;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == ':' || c == ';' || c == '?') {
        break;
      }
      i++;
    }
    return i;
  }

  private static int port(String text, int from, int to) {
    if (from == to || to - from > 5) {
      throw new AddressException(
          Reason.MALFORMED_URI, "SIP URI port must be 1 to 5 digits (RFC 3261 §25.1)");
    }
    int port = Integer.parseInt(text, from, to, 10);
    if (port < 1 || port > SipUri.MAX_PORT) {
      throw new AddressException(
          Reason.MALFORMED_URI,
          "SIP URI port " + port + " is not between 1 and " + SipUri.MAX_PORT);
    }
    return port;
  }

  private static void addParameter(Map<String, String> map, String text, int from, int to) {
    if (from == to) {
      throw new AddressException(
          Reason.MALFORMED_URI, "SIP URI has an empty parameter (RFC 3261 §25.1)");
    }
    int equals = text.indexOf('=', from);
    if (equals >= to) {
      equals = -1;
    }
    int nameEnd = equals < 0 ? to : equals;
    if (nameEnd == from) {
      throw new AddressException(
          Reason.MALFORMED_URI, "SIP URI has a parameter without a name (RFC 3261 §25.1)");
    }
    String name =
        PercentEncoding.decode(text, from, nameEnd, PercentEncoding.PARAM, "SIP URI parameter name")
            .toLowerCase(Locale.ROOT);
    String value = "";
    if (equals >= 0) {
      if (equals + 1 == to) {
        throw new AddressException(
            Reason.MALFORMED_URI,
            "SIP URI parameter '" + name + "' has '=' but no value (RFC 3261 §25.1)");
      }
      value =
          PercentEncoding.decode(
              text, equals + 1, to, PercentEncoding.PARAM, "SIP URI parameter '" + name + "'");
    }
    if (map.putIfAbsent(name, value) != null) {
      throw new AddressException(
          Reason.MALFORMED_URI, "SIP URI parameter '" + name + "' appears twice");
    }
  }
}
