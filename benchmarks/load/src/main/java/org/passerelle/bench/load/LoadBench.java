package org.passerelle.bench.load;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything of a load run: the proxy and the gateway as child processes, and around them the
 * simulator's S2S streams and server, the SIP sink and the SIP client, all in this process on their
 * own event loops. {@link #run} measures one {@link Scenario}; the first presence scenario sets up
 * the presence subscriptions ({@link PresenceSetUp}).
 */
public final class LoadBench implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LoadBench.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

  /** Senders per remote domain and local recipients: JIDs repeat, as in real traffic. */
  private static final int USERS = 50;

  private static final int RECIPIENTS = 50;

  private static final int PRESENCE_SUBSCRIPTIONS = 2_000;

  /** Subscription requests per second in the presence set-up, each way. */
  private static final int PRESENCE_SET_UP_RATE = 1_000;

  private static final Duration PRESENCE_SET_UP_LIMIT = Duration.ofSeconds(120);

  /** The JVM options of both processes unless {@code --jvm} says otherwise. */
  public static final List<String> DEFAULT_JVM = List.of("-Xms512m", "-Xmx512m", "-XX:+UseG1GC");

  private final EventLoopGroup group = new NioEventLoopGroup(2);
  private final AtomicReference<DeliveryLedger> ledger = new AtomicReference<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private ServiceProcess proxy;
  private ServiceProcess gateway;
  private final List<S2sLoadClient> s2sClients = new ArrayList<>();
  private SipLoadClient sipClient;
  private int nextRun = 1;

  private final SipPresenceDialogs sipPresence = new SipPresenceDialogs(ledger);
  private final RemotePresence remotePresence = new RemotePresence();
  private PresencePairs presencePairs;
  private PresenceSetUp.Took presenceSetUp;

  private LoadBench() {}

  /**
   * Writes the run's files into {@code dir}, starts the sinks, the proxy, the gateway, then opens
   * the load streams.
   *
   * @param repo the repository root, whose xmpp-proxy and xmpp-gateway modules are built
   */
  public static LoadBench start(Path repo, Path dir, Topology topology, List<String> jvm)
      throws Exception {
    LoadBench bench = new LoadBench();
    try {
      bench.startAll(repo, dir, topology, jvm);
      return bench;
    } catch (Exception | Error e) {
      bench.close();
      throw e;
    }
  }

  private void startAll(Path repo, Path dir, Topology topology, List<String> jvm) throws Exception {
    BenchFiles files = BenchFiles.write(dir, topology);
    SslContext serverTls =
        SslContextBuilder.forServer(
                files.remoteCertificate().certificatePem().toFile(),
                files.remoteCertificate().privateKeyPem().toFile())
            .sslProvider(SslProvider.JDK)
            .build();
    SslContext clientTls =
        SslContextBuilder.forClient()
            .sslProvider(SslProvider.JDK)
            .trustManager(InsecureTrustManagerFactory.INSTANCE)
            .endpointIdentificationAlgorithm(null)
            .build();
    DialbackKeys keys = new DialbackKeys();
    closeables.add(S2sSinkServer.start(group, serverTls, keys, ledger, remotePresence));
    closeables.add(SipSink.start(group, ledger, sipPresence));

    proxy =
        ServiceProcess.start(
            "proxy",
            repo.resolve("xmpp-proxy"),
            "org.passerelle.proxy.ProxyMain",
            files.proxyConfig(),
            files.logback(),
            dir,
            jvm,
            Topology.proxyAdmin());
    long proxyReady = proxy.awaitReady(READY_TIMEOUT);
    gateway =
        ServiceProcess.start(
            "gateway",
            repo.resolve("xmpp-gateway"),
            "org.passerelle.gateway.GatewayMain",
            files.gatewayConfig(),
            files.logback(),
            dir,
            jvm,
            Topology.gatewayAdmin());
    long gatewayReady = gateway.awaitReady(READY_TIMEOUT);
    LOG.info("proxy ready in {} ms, gateway (linked) in {} ms", proxyReady, gatewayReady);

    for (String domain : topology.remoteDomainNames()) {
      s2sClients.add(
          S2sLoadClient.connect(group, clientTls, keys, domain, USERS, RECIPIENTS)
              .get(30, TimeUnit.SECONDS));
    }
    sipClient =
        SipLoadClient.connect(group, topology.remoteDomainNames(), USERS, RECIPIENTS, ledger);
    remotePresence.use(s2sClients);
    presencePairs = new PresencePairs(presenceSubscriptions(), topology.remoteDomainNames());
  }

  /**
   * Subscriptions each way for the presence scenarios: {@code
   * -Dpasserelle.bench.presence-subscriptions=N} (default 2,000; a multiple of the domains).
   */
  private static int presenceSubscriptions() {
    return Integer.getInteger("passerelle.bench.presence-subscriptions", PRESENCE_SUBSCRIPTIONS);
  }

  /** Sets the presence subscriptions up (not measured), once per pair of processes. */
  private void ensurePresence() throws InterruptedException {
    if (presenceSetUp != null) {
      return;
    }
    ledger.set(null);
    presenceSetUp =
        PresenceSetUp.establish(
            presencePairs,
            remotePresence,
            sipPresence,
            sipClient,
            PRESENCE_SET_UP_RATE,
            PRESENCE_SET_UP_LIMIT);
  }

  /** What the presence set-up took, or {@code null} if no presence scenario ran. */
  public PresenceSetUp.Took presenceSetUp() {
    return presenceSetUp;
  }

  public ServiceProcess proxy() {
    return proxy;
  }

  public ServiceProcess gateway() {
    return gateway;
  }

  /** Warms up, then measures {@code scenario}. */
  public RunReport run(Scenario scenario) throws InterruptedException {
    if (scenario.direction().isPresence()) {
      ensurePresence();
    }
    LoadSender sender =
        switch (scenario.direction()) {
          case XMPP_TO_SIP ->
              LoadSender.roundRobin(s2sClients.stream().map(c -> (LoadSender) c::send).toList());
          case SIP_TO_XMPP -> sipClient::send;
          case PRESENCE_SIP_TO_XMPP -> sipPresence::sendNotifies;
          case PRESENCE_XMPP_TO_SIP -> remotePresence.broadcasts(presencePairs);
        };
    if (!scenario.warmup().isZero()) {
      DeliveryLedger warm = new DeliveryLedger(nextRun++, scenario.capacity(scenario.warmup()));
      ledger.set(warm);
      Pacer.Sent sent = drive(scenario, sender, warm, scenario.warmup());
      Pacer.drain(warm, sent.count(), DRAIN_TIMEOUT);
    }
    double loadAverage = loadAverage();
    DeliveryLedger measured = new DeliveryLedger(nextRun++, scenario.capacity(scenario.duration()));
    ledger.set(measured);
    ProcessFigures.Start proxyStart = ProcessFigures.start(proxy);
    ProcessFigures.Start gatewayStart = ProcessFigures.start(gateway);
    ProcessFigures.Start toolStart = ProcessFigures.startSelf();
    Pacer.Sent sent = drive(scenario, sender, measured, scenario.duration());
    Pacer.drain(measured, sent.count(), DRAIN_TIMEOUT);
    ProcessFigures proxyFigures = proxyStart.finish();
    ProcessFigures gatewayFigures = gatewayStart.finish();
    ProcessFigures toolFigures = toolStart.finish();
    Histogram latency = measured.latency();
    long last = measured.lastDeliveryNanos();
    return new RunReport(
        Instant.now(),
        scenario,
        sent.count(),
        measured.delivered(),
        measured.duplicated(),
        measured.bounced(),
        measured.shed(),
        last == 0 ? 0 : last - sent.startNanos(),
        RunReport.millis(latency, 50),
        RunReport.millis(latency, 99),
        RunReport.millis(latency, 99.9),
        latency.getTotalCount() == 0 ? Double.NaN : latency.getMaxValue() / 1e6,
        proxyFigures,
        gatewayFigures,
        toolFigures,
        loadAverage);
  }

  private static Pacer.Sent drive(
      Scenario scenario, LoadSender sender, DeliveryLedger ledger, Duration length) {
    return scenario.mode() == Scenario.Mode.OPEN
        ? Pacer.openLoop(sender, ledger, scenario.load(), length)
        : Pacer.closedLoop(sender, ledger, scenario.load(), length);
  }

  private static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  @Override
  public void close() {
    for (S2sLoadClient client : s2sClients) {
      client.close();
    }
    if (sipClient != null) {
      sipClient.close();
    }
    if (gateway != null) {
      gateway.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    for (AutoCloseable closeable : closeables) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.debug("closing {}: {}", closeable, e.toString());
      }
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
