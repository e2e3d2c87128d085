package org.passerelle.testpeers;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where a SIP request is sent next: an IP literal, a port and a transport, never a name, since the
 * test peers do not use DNS.
 */
public record SipHop(InetAddress address, int port, SipTransport transport) {

  public SipHop {
    Objects.requireNonNull(address, "address");
    ConfigChecks.port(port);
    Objects.requireNonNull(transport, "transport");
  }

  /**
   * A hop on loopback.
   *
   * @param address an IPv4 literal in 127.0.0.0/8
   */
  public static SipHop of(String address, int port, SipTransport transport) {
    return new SipHop(ConfigChecks.loopback(address), port, transport);
  }

  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(address, port);
  }

  /** The hop as a SIP URI, e.g. {@code sip:127.0.0.31:5070;transport=tcp}. */
  public String uri() {
    return "sip:" + address.getHostAddress() + ":" + port + ";transport=" + transport.token();
  }

  @Override
  public String toString() {
    return address.getHostAddress() + ":" + port + "/" + transport.token();
  }
}
