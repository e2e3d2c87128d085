package org.passerelle.gateway.link;

import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.passerelle.model.config.Redaction;

/**
 * How the gateway reaches the proxy.
 *
 * @param server the proxy's link address (or an XMPP server's component port)
 * @param domain the domain the gateway serves and attaches for
 * @param secret the XEP-0114 shared secret
 * @param tls client TLS with the gateway's certificate; empty for a plain component connection
 *     (only for an XMPP server on the same host, e.g. Prosody on loopback)
 * @param acknowledgements whether to ask for acknowledgements (our proxy supports them; a plain
 *     XMPP server's component port does not)
 * @param minBackoff first reconnect delay
 * @param maxBackoff longest reconnect delay
 * @param hold how long a stanza may wait for the link before its send fails
 * @param pendingLimit stanzas that may wait for the link or for acknowledgement
 */
public record LinkSettings(
    InetSocketAddress server,
    String domain,
    String secret,
    Optional<SslContext> tls,
    boolean acknowledgements,
    Duration minBackoff,
    Duration maxBackoff,
    Duration hold,
    int pendingLimit) {

  public static final int DEFAULT_PORT = 23456;

  public LinkSettings {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(tls, "tls");
    if (minBackoff.isNegative() || minBackoff.isZero() || maxBackoff.compareTo(minBackoff) < 0) {
      throw new IllegalArgumentException("link backoff must satisfy 0 < min <= max");
    }
    if (hold.isNegative()) {
      throw new IllegalArgumentException("link.hold must not be negative");
    }
    if (pendingLimit < 1) {
      throw new IllegalArgumentException("link.pending-limit must be positive");
    }
  }

  /** Without the secret, which must not reach a log. */
  @Override
  public String toString() {
    return "LinkSettings[server="
        + server
        + ", domain="
        + domain
        + ", secret="
        + Redaction.mark(secret)
        + ", tls="
        + tls.isPresent()
        + ", acknowledgements="
        + acknowledgements
        + ", hold="
        + hold
        + ", pendingLimit="
        + pendingLimit
        + "]";
  }

  /**
   * Whether stanzas may carry their correlation id over this link ({@link
   * org.passerelle.model.Correlation}). Only our proxy strips it before S2S, and only our proxy
   * acknowledges on the link: any other XMPP server would pass the id on to remote servers.
   */
  public boolean correlationIds() {
    return acknowledgements;
  }
}
