package org.passerelle.gateway.sip;

import java.net.InetAddress;
import java.util.Objects;

/** One place to send a request: an address, a port and a transport (RFC 3263 §4). */
record SipTarget(InetAddress address, int port, SipTransport transport) {

  SipTarget {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(transport, "transport");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  @Override
  public String toString() {
    return address.getHostAddress() + ":" + port + "/" + transport.token();
  }
}
