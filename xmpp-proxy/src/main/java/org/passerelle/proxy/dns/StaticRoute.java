package org.passerelle.proxy.dns;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A configured address for one remote domain, used instead of DNS SRV (RFC 6120 §3.2.3).
 *
 * @param address where to connect; if unresolved, its host name (checked here) is resolved with
 *     A/AAAA, the local hosts file included
 * @param directTls {@code true} for direct TLS (XEP-0368), {@code false} for STARTTLS
 */
public record StaticRoute(InetSocketAddress address, boolean directTls) {

  public StaticRoute {
    Objects.requireNonNull(address, "address");
    if (address.getPort() == 0) {
      throw new IllegalArgumentException("a static route needs a port: " + address);
    }
    if (address.isUnresolved()) {
      DomainNames.normalize(address.getHostString());
    }
  }
}
