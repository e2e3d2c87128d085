package org.passerelle.proxy.diagnose;

import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLException;
import org.passerelle.model.config.ConfigException;
import org.passerelle.proxy.config.ProxyConfig;
import org.passerelle.proxy.dialback.DialbackSecret;
import org.passerelle.proxy.dns.ConnectTarget;
import org.passerelle.proxy.pki.ProxyCredentials;
import org.passerelle.proxy.policy.FederationGate;
import org.passerelle.proxy.policy.FederationPolicy;
import org.passerelle.proxy.policy.PartnerPolicy;
import org.passerelle.proxy.s2s.CertificateChecker;
import org.passerelle.proxy.s2s.DialbackLedger;
import org.passerelle.proxy.s2s.DomainPair;
import org.passerelle.proxy.s2s.OutboundStep;
import org.passerelle.proxy.s2s.OutboundStreams;
import org.passerelle.proxy.s2s.S2sContext;
import org.passerelle.proxy.s2s.S2sEvents;
import org.passerelle.proxy.s2s.S2sServer;
import org.passerelle.proxy.s2s.StreamIds;
import org.passerelle.proxy.s2s.Transport;
import org.passerelle.stream.pki.PeerCertificateVerifier;
import org.passerelle.stream.pki.TlsContexts;
import org.passerelle.stream.pki.VerificationResult;

/**
 * The proxy's S2S machinery, assembled for a diagnosis as {@code XmppProxy} assembles it: our TLS
 * contexts and dialback keys, one ledger shared by every stream (so the callback listener confirms
 * the keys the attempts sent), and a context per stream attempt with its own observer and policy.
 */
final class DiagnosisStreams {
  private final ProxyConfig config;
  private final Duration stepTimeout;
  private final CertificateFacts certificates;
  private final Transport transport;
  private final SslContext serverTls;
  private final SslContext clientTls;
  private final DialbackSecret secret;
  private final DialbackLedger ledger = new DialbackLedger();
  private final StreamIds ids = new StreamIds();
  private final PeerCertificateVerifier verifier;
  private final List<ConnectTarget> targets;

  /**
   * @param listen where the callback listener binds, if one is started
   * @param targets the remote domain's targets, for the listener's own verifications
   */
  DiagnosisStreams(
      ProxyConfig config,
      ProxyCredentials credentials,
      InetSocketAddress listen,
      Duration stepTimeout,
      CertificateFacts certificates,
      Transport transport,
      DialbackSecret secret,
      List<ConnectTarget> targets) {
    this.config = withTimeouts(config, listen, stepTimeout);
    this.stepTimeout = stepTimeout;
    this.certificates = certificates;
    this.transport = transport;
    try {
      this.serverTls = TlsContexts.server(credentials.keys());
      this.clientTls = TlsContexts.client(credentials.keys());
    } catch (SSLException e) {
      throw new ConfigException("tls: our key material cannot be used: " + e.getMessage(), e);
    }
    this.secret = secret;
    this.verifier = credentials.verifier();
    this.targets = List.copyOf(targets);
  }

  /** Accepts the remote's call back (XEP-0220 §2.2.2) and answers for the keys we sent. */
  S2sServer listen(StepRecorder calls) throws InterruptedException {
    S2sContext context = context(calls, new FederationGate(config.federation()));
    OutboundStreams verifications =
        new OutboundStreams(
            context,
            domain -> CompletableFuture.completedFuture(targets),
            (stanza, condition, reason) -> {});
    S2sServer server =
        new S2sServer(
            context, verifications, (stanza, pair) -> {}, (stanza, condition, reason) -> {});
    server.start();
    return server;
  }

  /** One stream to one target, followed step by step until it is established or gone. */
  TargetProbe attempt(
      DomainPair pair, ConnectTarget target, PartnerPolicy partner, FederationPolicy policy)
      throws InterruptedException {
    StepRecorder recorder = new StepRecorder(pair);
    OutboundStreams streams =
        new OutboundStreams(
            context(recorder, new FederationGate(policy)),
            domain -> CompletableFuture.completedFuture(List.of(target)),
            (stanza, condition, reason) -> {});
    TargetProbe probe =
        new TargetProbe(pair.local(), pair.remote(), target, partner, verifier, certificates);
    streams.open(pair);
    try {
      while (true) {
        OutboundStep step = recorder.next(stepTimeout);
        if (step == null) {
          probe.timedOut(stepTimeout);
          break;
        }
        if (probe.accept(step)) {
          break;
        }
      }
    } finally {
      streams.closeAll();
    }
    return probe;
  }

  private S2sContext context(S2sEvents events, FederationGate gate) {
    CertificateChecker checker =
        (chain, domain) -> {
          VerificationResult result = verifier.verify(chain, domain);
          return new CertificateChecker.Result(result.isValid(), result.reason());
        };
    return new S2sContext(
        config, serverTls, clientTls, checker, secret.keys(), ledger, ids, transport, events, gate);
  }

  /** The configuration the streams run with: the listener's address, connects per step. */
  private static ProxyConfig withTimeouts(
      ProxyConfig config, InetSocketAddress listen, Duration step) {
    ProxyConfig.Timeouts timeouts =
        new ProxyConfig.Timeouts(
            step,
            // The diagnosis's own per-step timeout ends a stream first.
            step.multipliedBy(20),
            config.timeouts().idle(),
            config.timeouts().keepalive());
    return new ProxyConfig(
        config.domains(),
        listen,
        config.tls(),
        config.dialback(),
        config.staticRoutes(),
        config.limits(),
        timeouts,
        config.outboundQueueLimit(),
        config.dataDir(),
        Optional.empty(),
        config.federation(),
        config.inbound(),
        config.dns());
  }
}
