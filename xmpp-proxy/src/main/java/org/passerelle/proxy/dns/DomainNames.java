package org.passerelle.proxy.dns;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import org.xbill.DNS.Address;

/** Normalizes remote domains and recognizes IP literals. */
final class DomainNames {

  /** RFC 1035 §2.3.4: 255 octets on the wire, i.e. 253 characters without the final dot. */
  static final int MAX_LENGTH = 253;

  /** RFC 1035 §2.3.4. */
  static final int MAX_LABEL_LENGTH = 63;

  private DomainNames() {}

  /**
   * Lower case, without a trailing dot, IDNA A-labels; IP literals ({@code 192.0.2.1}, {@code
   * [2001:db8::1]}) are kept as they are, in lower case.
   *
   * @throws IllegalArgumentException with a readable reason if the name is not a valid host name
   */
  static String normalize(String domain) {
    String name = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
    if (name.isEmpty()) {
      throw invalid(domain, "empty");
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (ipLiteral(lower).isPresent()) {
      return lower;
    }
    String ascii;
    try {
      ascii = IDN.toASCII(lower).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw invalid(domain, e.getMessage());
    }
    if (ascii.length() > MAX_LENGTH) {
      throw invalid(domain, "longer than " + MAX_LENGTH + " characters");
    }
    for (String label : ascii.split("\\.", -1)) {
      checkLabel(domain, label);
    }
    return ascii;
  }

  /** The address if {@code normalized} is an IPv4 literal or a bracketed IPv6 literal. */
  static Optional<InetAddress> ipLiteral(String normalized) {
    byte[] bytes = Address.toByteArray(normalized, Address.IPv4);
    if (bytes == null && normalized.startsWith("[") && normalized.endsWith("]")) {
      bytes = Address.toByteArray(normalized.substring(1, normalized.length() - 1), Address.IPv6);
    }
    if (bytes == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByAddress(bytes));
    } catch (UnknownHostException e) {
      throw new AssertionError("4 or 16 bytes are always a valid address", e);
    }
  }

  private static void checkLabel(String domain, String label) {
    if (label.isEmpty()) {
      throw invalid(domain, "empty label");
    }
    if (label.length() > MAX_LABEL_LENGTH) {
      throw invalid(domain, "label longer than " + MAX_LABEL_LENGTH + " characters");
    }
    if (label.startsWith("-") || label.endsWith("-")) {
      throw invalid(domain, "label '" + label + "' starts or ends with a hyphen");
    }
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      boolean letterDigitHyphen = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
      if (!letterDigitHyphen) {
        throw invalid(
            domain, "label '" + label + "' has characters other than letters, digits, '-'");
      }
    }
  }

  private static IllegalArgumentException invalid(String domain, String why) {
    return new IllegalArgumentException("invalid domain '" + domain + "': " + why);
  }
}
