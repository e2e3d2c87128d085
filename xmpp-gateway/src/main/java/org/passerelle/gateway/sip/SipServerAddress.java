package org.passerelle.gateway.sip;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SIP server named in configuration, such as the outbound proxy: {@code
 * host[:port][;transport=t]} (a leading {@code sip:} is allowed). What is left out is found as for
 * a request URI (RFC 3263): without a port, SRV records decide port and transport; without a
 * transport, UDP is used for an explicit port or address (RFC 3263 §4.1).
 *
 * @param host a DNS name or an IP address literal (IPv6 without brackets), lower case
 * @param port the port, if given
 * @param transport the transport, if given
 */
public record SipServerAddress(String host, OptionalInt port, Optional<SipTransport> transport) {

  private static final Pattern FORMAT =
      Pattern.compile(
          "(?:sip:)?(?<host>\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+)(?::(?<port>[0-9]{1,5}))?"
              + "(?:;transport=(?<transport>[A-Za-z]+))?(?:;lr)?",
          Pattern.CASE_INSENSITIVE);

  public SipServerAddress {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(port, "port");
    Objects.requireNonNull(transport, "transport");
    if (host.isEmpty() || host.startsWith("[")) {
      throw new IllegalArgumentException("host must be a name or a bare IP literal: " + host);
    }
    host = host.toLowerCase(Locale.ROOT);
    if (port.isPresent() && (port.getAsInt() < 1 || port.getAsInt() > 65535)) {
      throw new IllegalArgumentException("port out of range: " + port.getAsInt());
    }
  }

  /**
   * Reads {@code host[:port][;transport=udp|tcp|tls]}, e.g. {@code
   * sip.example.com:5060;transport=tcp}.
   *
   * @throws IllegalArgumentException naming the text if it is not of that form
   */
  public static SipServerAddress parse(String text) {
    Objects.requireNonNull(text, "text");
    Matcher m = FORMAT.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not a SIP server address (host[:port][;transport=udp|tcp|tls]): " + text);
    }
    String host = m.group("host");
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    }
    OptionalInt port =
        m.group("port") == null
            ? OptionalInt.empty()
            : OptionalInt.of(Integer.parseInt(m.group("port")));
    Optional<SipTransport> transport =
        Optional.ofNullable(m.group("transport")).map(SipTransport::fromToken);
    return new SipServerAddress(host, port, transport);
  }

  @Override
  public String toString() {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return h
        + (port.isPresent() ? ":" + port.getAsInt() : "")
        + transport.map(t -> ";transport=" + t.token()).orElse("");
  }
}
