package org.passerelle.proxy.dns;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One address to try when connecting to a remote domain, in the order produced by {@link
 * SrvResolver}.
 *
 * <p>{@code hostname} is the SRV target (or the domain itself, or the static route's host) and is
 * for logs and diagnostics only: TLS SNI and certificate checks use the XMPP domain, never this
 * name (RFC 6125 §6.2.1, XEP-0368 §3).
 *
 * @param address resolved IP address and port
 * @param hostname the DNS name the address came from
 * @param directTls {@code true} to start TLS right after connecting (XEP-0368), {@code false} to
 *     negotiate STARTTLS (RFC 6120 §5)
 */
public record ConnectTarget(InetSocketAddress address, String hostname, boolean directTls) {

  public ConnectTarget {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(hostname, "hostname");
    if (address.isUnresolved()) {
      throw new IllegalArgumentException("address must be resolved: " + address);
    }
    if (address.getPort() == 0) {
      throw new IllegalArgumentException("port 0 cannot be connected to: " + address);
    }
    if (hostname.isEmpty()) {
      throw new IllegalArgumentException("hostname must not be empty");
    }
  }
}
