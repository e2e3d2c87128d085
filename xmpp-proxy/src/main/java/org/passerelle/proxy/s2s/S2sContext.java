package org.passerelle.proxy.s2s;

import io.netty.handler.ssl.SslContext;
import java.util.Objects;
import org.passerelle.proxy.config.ProxyConfig;
import org.passerelle.proxy.dialback.DialbackKeys;
import org.passerelle.proxy.policy.FederationGate;

/**
 * What every server-to-server stream handler needs, in both directions.
 *
 * @param config the validated proxy configuration
 * @param serverTls TLS for streams we receive (requests, but does not require, a client
 *     certificate)
 * @param clientTls TLS for streams we open (presents our certificate for SASL EXTERNAL)
 * @param certificates decides whether a peer's certificate authenticates a domain
 * @param dialbackKeys makes and checks dialback keys (XEP-0185)
 * @param ledger dialback keys we sent and await answers for
 * @param streamIds source of stream ids
 * @param transport the Netty channel types to use
 * @param events observer of stream events
 * @param federation the federation policy in force, consulted wherever a remote domain becomes
 *     known
 */
public record S2sContext(
    ProxyConfig config,
    SslContext serverTls,
    SslContext clientTls,
    CertificateChecker certificates,
    DialbackKeys dialbackKeys,
    DialbackLedger ledger,
    StreamIds streamIds,
    Transport transport,
    S2sEvents events,
    FederationGate federation) {
  public S2sContext {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(serverTls, "serverTls");
    Objects.requireNonNull(clientTls, "clientTls");
    Objects.requireNonNull(certificates, "certificates");
    Objects.requireNonNull(dialbackKeys, "dialbackKeys");
    Objects.requireNonNull(ledger, "ledger");
    Objects.requireNonNull(streamIds, "streamIds");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(federation, "federation");
  }

  boolean isLocal(String domain) {
    return domain != null && config.domains().contains(domain);
  }
}
