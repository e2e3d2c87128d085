package org.passerelle.gateway.sip;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An IP address or a prefix of addresses, written {@code 192.0.2.7}, {@code 10.1.0.0/16} or {@code
 * 2001:db8::/32} (RFC 4632 §3.1 notation): where a trusted SIP server sends from.
 *
 * @param network the first address of the range
 * @param prefixLength how many leading bits must match: 32 or 128 for a single address
 */
public record AddressRange(InetAddress network, int prefixLength) {

  private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

  public AddressRange {
    Objects.requireNonNull(network, "network");
    int bits = network.getAddress().length * 8;
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException(
          "prefix length must be between 0 and " + bits + ", was " + prefixLength);
    }
  }

  /**
   * Reads an address or {@code address/length}; only IP literals, never a name (nothing is looked
   * up).
   *
   * @throws IllegalArgumentException naming the text if it is neither
   */
  public static AddressRange parse(String text) {
    Objects.requireNonNull(text, "text");
    String trimmed = text.trim();
    int slash = trimmed.indexOf('/');
    String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
    if (!LITERAL.matcher(address).matches() || !(address.contains(".") || address.contains(":"))) {
      throw notARange(text);
    }
    InetAddress network;
    try {
      network = InetAddress.getByName(address); // a literal: nothing is looked up
    } catch (UnknownHostException e) {
      throw notARange(text);
    }
    int bits = network.getAddress().length * 8;
    int length = bits;
    if (slash >= 0) {
      try {
        length = Integer.parseInt(trimmed.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw notARange(text);
      }
      if (length < 0 || length > bits) {
        throw notARange(text);
      }
    }
    return new AddressRange(network, length);
  }

  /** Whether {@code address} is in this range (an IPv4 address is never in an IPv6 range). */
  public boolean contains(InetAddress address) {
    byte[] candidate = address.getAddress();
    byte[] prefix = network.getAddress();
    if (candidate.length != prefix.length) {
      return false;
    }
    int full = prefixLength / 8;
    for (int i = 0; i < full; i++) {
      if (candidate[i] != prefix[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (candidate[full] & mask) == (prefix[full] & mask);
  }

  @Override
  public String toString() {
    return network.getHostAddress()
        + (prefixLength == network.getAddress().length * 8 ? "" : "/" + prefixLength);
  }

  private static IllegalArgumentException notARange(String text) {
    return new IllegalArgumentException(
        "'" + text + "' is not an IP address or a prefix such as 10.0.0.0/24");
  }
}
