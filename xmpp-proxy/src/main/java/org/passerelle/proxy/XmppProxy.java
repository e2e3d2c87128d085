package org.passerelle.proxy;

import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dom4j.Element;
import org.passerelle.model.config.ConfigException;
import org.passerelle.model.lifecycle.Drain;
import org.passerelle.model.lifecycle.Lifecycle;
import org.passerelle.model.lifecycle.Phase;
import org.passerelle.observability.AdminServer;
import org.passerelle.observability.ProcessInfo;
import org.passerelle.observability.ProcessMetrics;
import org.passerelle.observability.StartupPhases;
import org.passerelle.proxy.admin.ProxyAdmin;
import org.passerelle.proxy.admin.ProxyMetrics;
import org.passerelle.proxy.config.ProxyConfig;
import org.passerelle.proxy.config.ProxyConfigLoader;
import org.passerelle.proxy.dialback.DialbackSecret;
import org.passerelle.proxy.dns.DnsSettings;
import org.passerelle.proxy.dns.RetryingResolver;
import org.passerelle.proxy.dns.SrvResolver;
import org.passerelle.proxy.dns.StaticRoutes;
import org.passerelle.proxy.link.GatewayLinkService;
import org.passerelle.proxy.link.GatewayLinks;
import org.passerelle.proxy.pki.ExpiryWatch;
import org.passerelle.proxy.pki.ProxyCredentials;
import org.passerelle.proxy.policy.FederationGate;
import org.passerelle.proxy.policy.FederationPolicy;
import org.passerelle.proxy.policy.PolicyReloader;
import org.passerelle.proxy.routing.LocalDelivery;
import org.passerelle.proxy.routing.PartnerAddresses;
import org.passerelle.proxy.routing.Router;
import org.passerelle.proxy.s2s.CertificateChecker;
import org.passerelle.proxy.s2s.DialbackLedger;
import org.passerelle.proxy.s2s.S2sContext;
import org.passerelle.proxy.s2s.S2sEvents;
import org.passerelle.proxy.s2s.S2sServer;
import org.passerelle.proxy.s2s.StreamIds;
import org.passerelle.proxy.s2s.TargetResolver;
import org.passerelle.proxy.s2s.Transport;
import org.passerelle.stream.pki.KeyMaterial;
import org.passerelle.stream.pki.PeerCertificateVerifier;
import org.passerelle.stream.pki.TlsContexts;
import org.passerelle.stream.pki.VerificationResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge process, assembled: loads key material and trust, starts the S2S listener, and routes
 * stanzas between remote servers and the local side. Every part is built here and passed down
 * through constructors. The federation policy can be replaced while it runs ({@link #watchPolicy});
 * nothing else can.
 *
 * <p>Everything that can be wrong in the configuration is found before the first port is bound: the
 * loader checks the file, and {@link #start} reads certificates, keys and trust before it listens.
 * {@link #close} stops gracefully (docs/decisions/0013-graceful-shutdown.md).
 */
public final class XmppProxy implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(XmppProxy.class);

  /**
   * RFC 6120 §4.4 asks to wait a "reasonable" time for the peer's closing tag, and for
   * acknowledgements of the last errors sent to a gateway: after the drain, closing takes at most
   * this long again.
   */
  static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

  private final ProxyConfig config;
  private final Transport transport;
  private final Router router;
  private final S2sServer server;
  private final InetSocketAddress s2sAddress;
  private final GatewayLinkService link;
  private final FederationGate federation;
  private final Lifecycle lifecycle;
  private final ProcessMetrics metrics;
  private final Optional<AdminServer> admin;
  private PolicyReloader reloader;

  private XmppProxy(
      ProxyConfig config,
      Transport transport,
      Router router,
      S2sServer server,
      InetSocketAddress s2sAddress,
      GatewayLinkService link,
      FederationGate federation,
      Lifecycle lifecycle,
      ProcessMetrics metrics,
      Optional<AdminServer> admin) {
    this.config = config;
    this.transport = transport;
    this.router = router;
    this.server = server;
    this.s2sAddress = s2sAddress;
    this.link = link;
    this.federation = federation;
    this.lifecycle = lifecycle;
    this.metrics = metrics;
    this.admin = admin;
  }

  /** Starts the proxy with DNS (and the configuration's static routes) for remote domains. */
  public static XmppProxy start(ProxyConfig config) throws IOException, InterruptedException {
    return start(config, S2sEvents.NONE);
  }

  /**
   * As {@link #start(ProxyConfig)}, reporting stream events to an observer. Failed resolutions are
   * retried and remembered as {@link ProxyConfig#dns()} says.
   */
  public static XmppProxy start(ProxyConfig config, S2sEvents events)
      throws IOException, InterruptedException {
    return start(config, events, StartupPhases.untimedJvm());
  }

  /** As {@link #start(ProxyConfig, S2sEvents)}, timing its phases into {@code phases}. */
  public static XmppProxy start(ProxyConfig config, S2sEvents events, StartupPhases phases)
      throws IOException, InterruptedException {
    // The system's DNS configuration is read beside the TLS set-up; a resolution asked for before
    // it is done waits for it without blocking.
    CompletableFuture<RetryingResolver> dns =
        phases.inBackground(
            "dns",
            () -> {
              SrvResolver system =
                  SrvResolver.usingSystemDns(
                      DnsSettings.defaults(), StaticRoutes.startTls(config.staticRoutes()));
              return new RetryingResolver(system::resolve, config.dns());
            });
    XmppProxy proxy =
        start(config, domain -> dns.thenCompose(r -> r.resolve(domain)), events, phases);
    try {
      StartupPhases.join(dns);
    } catch (IOException | RuntimeException e) {
      proxy.close();
      throw e;
    }
    return proxy;
  }

  /**
   * Starts the proxy with the given way of finding remote servers (partners' configured addresses
   * come first).
   *
   * @throws ConfigException naming the key, if our key material or trust files cannot be used or
   *     our own certificate has expired
   */
  public static XmppProxy start(ProxyConfig config, TargetResolver resolver, S2sEvents events)
      throws IOException, InterruptedException {
    return start(config, resolver, events, StartupPhases.untimedJvm());
  }

  private static XmppProxy start(
      ProxyConfig config, TargetResolver resolver, S2sEvents events, StartupPhases phases)
      throws IOException, InterruptedException {
    // Micrometer and the Prometheus registry load beside the key material and TLS contexts.
    ProcessInfo info = ProcessInfo.startingNow("proxy", Clock.systemUTC());
    CompletableFuture<ProcessMetrics> metricsLoading =
        phases.inBackground("metrics", () -> ProcessMetrics.create(info));
    try {
      return start(config, resolver, events, phases, info, metricsLoading);
    } catch (IOException | InterruptedException | RuntimeException e) {
      metricsLoading.thenAccept(ProcessMetrics::close);
      throw e;
    }
  }

  private static XmppProxy start(
      ProxyConfig config,
      TargetResolver resolver,
      S2sEvents events,
      StartupPhases phases,
      ProcessInfo info,
      CompletableFuture<ProcessMetrics> metricsLoading)
      throws IOException, InterruptedException {
    ProxyCredentials credentials = ProxyCredentials.load(config.tls(), Clock.systemUTC());
    KeyMaterial keys = credentials.keys();
    ExpiryWatch expiry = credentials.expiryWatch(Clock.systemUTC());
    expiry.checkNow();
    SslContext serverTls = TlsContexts.server(keys);
    SslContext clientTls = TlsContexts.client(keys);
    PeerCertificateVerifier verifier = credentials.verifier();
    phases.mark("tls");
    DialbackSecret secret = DialbackSecret.resolve(config.dialback().secret(), config.dataDir());
    phases.mark("dialback secret");
    LOG.info(
        "serving {} as {}; trusting {}; dialback secret from {}",
        config.domains(),
        keys,
        credentials.trust().source(),
        secret.source());
    ProcessMetrics process = StartupPhases.join(metricsLoading);
    phases.mark("waiting for metrics");
    ProxyMetrics metrics = new ProxyMetrics(process.registry());
    FederationGate federation = new FederationGate(config.federation(), metrics);
    LOG.info("federation policy: {}", config.federation().summary());
    if (config.federation().partners().isEmpty() && !config.federation().discovery().enabled()) {
      LOG.warn(
          "no federation partners and discovered federation is off: every remote domain will be"
              + " refused (federation.partners, federation.discovered.enabled)");
    }

    Transport transport =
        Transport.nio(Runtime.getRuntime().availableProcessors(), config.io().coalesce());
    process.eventLoops(transport.passes()::passes, transport.passes()::coalesced);
    S2sContext context =
        new S2sContext(
            config,
            serverTls,
            clientTls,
            certificateChecker(verifier),
            secret.keys(),
            new DialbackLedger(),
            new StreamIds(),
            transport,
            S2sEvents.both(events, metrics),
            federation);
    Router router = new Router(context, new PartnerAddresses(federation, resolver), metrics);
    federation.onInstall(router.outbound()::policyChanged);
    S2sServer server = new S2sServer(context, router.outbound(), router, router);
    GatewayLinkService link = null;
    try {
      if (config.link().isPresent()) {
        link =
            GatewayLinkService.start(
                config.link().get(),
                config.domains(),
                keys,
                router,
                transport,
                config.limits(),
                metrics);
      }
      phases.mark("link listen");
      InetSocketAddress bound = server.start();
      phases.mark("s2s bind");
      expiry.schedule(transport.group());
      Lifecycle lifecycle = new Lifecycle();
      Optional<AdminServer> admin =
          ProxyAdmin.start(
              config.admin(),
              info,
              process,
              metrics,
              new ProxyAdmin.Parts(
                  config.domains(),
                  server,
                  bound,
                  federation,
                  router.outbound(),
                  Optional.ofNullable(link),
                  lifecycle));
      phases.mark("admin");
      phases.readyLine().ifPresent(LOG::info);
      return new XmppProxy(
          config, transport, router, server, bound, link, federation, lifecycle, process, admin);
    } catch (IOException | InterruptedException | RuntimeException e) {
      // Whatever was bound is released before the caller hears of the failure.
      if (link != null) {
        link.stop();
      }
      transport.group().shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      throw e; // the metrics are closed by the caller
    }
  }

  private static CertificateChecker certificateChecker(PeerCertificateVerifier verifier) {
    return (chain, domain) -> {
      VerificationResult result = verifier.verify(chain, domain);
      return new CertificateChecker.Result(result.isValid(), result.reason());
    };
  }

  /**
   * The configuration the proxy was started with; the federation policy in force, which may have
   * been reloaded since, is {@code federation().policy()}.
   */
  public ProxyConfig config() {
    return config;
  }

  /** Where server-to-server streams are accepted. */
  public InetSocketAddress s2sAddress() {
    return s2sAddress;
  }

  /** Server-to-server connections remote servers have open to us now. */
  public int inboundConnections() {
    return server.connections();
  }

  /** Where gateways attach, when the link is configured. */
  public Optional<InetSocketAddress> linkAddress() {
    return Optional.ofNullable(link).map(GatewayLinkService::address);
  }

  /** The gateways attached and the stanzas held for them, when the link is configured. */
  public Optional<GatewayLinks> gatewayLinks() {
    return Optional.ofNullable(link).map(GatewayLinkService::links);
  }

  /** Where the admin endpoint listens, when the configuration has an {@code admin} section. */
  public Optional<InetSocketAddress> adminAddress() {
    return admin.map(AdminServer::address);
  }

  /** The proxy's meters, as {@code /metrics} shows them. */
  public ProcessMetrics metrics() {
    return metrics;
  }

  /** Sends a stanza from the local side (a gateway) to wherever it is addressed. */
  public void sendFromLocal(Element stanza) {
    router.fromLocal(stanza);
  }

  /** Attaches the local side that receives stanzas for our domains; {@code null} detaches it. */
  public void attachLocal(LocalDelivery delivery) {
    router.attachLocal(delivery);
  }

  public Router router() {
    return router;
  }

  /** The federation policy in force and its run-time state. */
  public FederationGate federation() {
    return federation;
  }

  /**
   * Reloads the federation policy whenever {@code file} (the configuration this proxy was started
   * from) changes, checking every {@code federation.reload-check}. An invalid file is refused with
   * its reason in the log and the policy in force stays; changes to other sections are reported as
   * needing a restart.
   */
  public synchronized void watchPolicy(Path file) {
    if (reloader != null) {
      throw new IllegalStateException("already watching");
    }
    reloader = new PolicyReloader(file, this::readPolicy, federation);
    reloader.start(config.federation().reloadCheck());
  }

  private FederationPolicy readPolicy(Path file) {
    ProxyConfig next = ProxyConfigLoader.load(file);
    List<String> restart = config.changesNeedingRestart(next);
    if (!restart.isEmpty()) {
      LOG.warn("{}: changes to {} take effect only after a restart", file, restart);
    }
    return next.federation();
  }

  /**
   * Stops gracefully, within {@code shutdown.drain} and then {@link #CLOSE_GRACE}:
   *
   * <ol>
   *   <li>nothing new is taken: the streams remote servers opened are closed cleanly, and new ones
   *       may only verify dialback keys; gateways may attach only to take stanzas held for them;
   *   <li>the drain: stanzas waiting for an outbound stream being set up, held for a gateway, or
   *       sent to a gateway and not acknowledged go on, until none is left or the limit passes;
   *   <li>what is left is bounced to its sender — {@code remote-server-timeout} for a stream not
   *       established, {@code service-unavailable} for a gateway that did not come — never dropped;
   *   <li>the links to gateways and the established streams are closed cleanly (our closing tag,
   *       then the peer's), and the event loops stop.
   * </ol>
   *
   * Safe to call more than once; later calls return at once.
   */
  @Override
  public void close() {
    if (!lifecycle.advance(Phase.DRAINING)) {
      return;
    }
    Duration limit = config.shutdown().drain();
    LOG.info(
        "stopping: taking no new streams or gateways, not ready for load balancers; draining for"
            + " at most {} ms",
        limit.toMillis());
    synchronized (this) {
      if (reloader != null) {
        reloader.close();
      }
    }
    server.streams().drain();
    if (link != null) {
      link.drain();
    }
    long began = System.nanoTime();
    if (Drain.await(this::drained, limit)) {
      LOG.info("drained in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
    } else {
      LOG.warn(
          "drain limit of {} ms passed: {} stanza(s) wait for outbound streams, {} are held for"
              + " gateways, {} are unacknowledged by gateways; answering their senders",
          limit.toMillis(),
          router.outbound().waitingStanzas(),
          link == null ? 0 : link.links().heldStanzas(),
          link == null ? 0 : link.links().unacknowledged());
    }
    lifecycle.advance(Phase.STOPPED);
    long closeBy = System.nanoTime() + CLOSE_GRACE.toNanos();
    // First what waits for a gateway: its senders are remote, and the answers may need a stream
    // opened for them. Then what waits for a stream: its senders are local, answered over the
    // links. The links and the streams close once those answers are out.
    if (link != null && link.links().stop() > 0) {
      Drain.await(() -> router.outbound().waitingStanzas() == 0, until(closeBy));
    }
    router.outbound().stop("the proxy stopped before the stream was established");
    if (link != null) {
      Drain.await(() -> link.links().unacknowledged() == 0, until(closeBy));
    }
    server.stop();
    if (link != null) {
      link.stop();
    }
    router.outbound().closeAll();
    server.streams().closeAll();
    Drain.await(
        () -> server.streams().size() == 0 && router.outbound().openConnections() == 0,
        until(closeBy));
    transport.group().shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    // Last: /health/ready answered "stopping" throughout the drain, and /health/live stayed up.
    admin.ifPresent(AdminServer::close);
    metrics.close();
    LOG.info("stopped");
  }

  private static Duration until(long nanoTime) {
    return Duration.ofNanos(Math.max(0, nanoTime - System.nanoTime()));
  }

  /**
   * Whether nothing waits any more: no stanza for an outbound stream, none held for or
   * unacknowledged by a gateway, and every stream remote servers had open when the drain began has
   * ended.
   */
  private boolean drained() {
    return router.outbound().waitingStanzas() == 0
        && server.streams().drained()
        && (link == null
            || (link.links().heldStanzas() == 0 && link.links().unacknowledged() == 0));
  }
}
