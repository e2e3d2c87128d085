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
 * own event loops. {@link #run} measures one {@link Scenario}.
 */
public final class LoadBench implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LoadBench.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

  /** Senders per remote domain and local recipients: JIDs repeat, as in real traffic. */
  private static final int USERS = 50;

  private static final int RECIPIENTS = 50;

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

  private LoadBench() {}

  /**
   * Writes the run's files into {@code dir}, starts the sinks, the proxy, the gateway, then opens
   * the load streams.
   *
   * @param repo the repository root, whose xmpp-proxy and xmpp-gateway modules are built
   */
  public static LoadBench start(Path repo, Path dir, Topology topology, List<String> jvm)
      throws Exception {
    return start(repo, dir, topology, jvm, StartOrder.PROXY_FIRST);
  }

  /** As {@link #start(Path, Path, Topology, List)}, launching the processes in {@code order}. */
  public static LoadBench start(
      Path repo, Path dir, Topology topology, List<String> jvm, StartOrder order) throws Exception {
    LoadBench bench = new LoadBench();
    try {
      bench.startAll(repo, dir, topology, jvm, order);
      return bench;
    } catch (Exception | Error e) {
      bench.close();
      throw e;
    }
  }

  private void startAll(Path repo, Path dir, Topology topology, List<String> jvm, StartOrder order)
      throws Exception {
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
    closeables.add(S2sSinkServer.start(group, serverTls, keys, ledger));
    closeables.add(SipSink.start(group, ledger));

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
    long proxyReady = order == StartOrder.PROXY_FIRST ? proxy.awaitReady(READY_TIMEOUT) : -1;
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
    if (order == StartOrder.TOGETHER) {
      proxyReady = proxy.awaitReady(READY_TIMEOUT);
    }
    long gatewayReady = gateway.awaitReady(READY_TIMEOUT);
    LOG.info("proxy ready in {} ms, gateway (linked) in {} ms", proxyReady, gatewayReady);

    for (String domain : topology.remoteDomainNames()) {
      s2sClients.add(
          S2sLoadClient.connect(group, clientTls, keys, domain, USERS, RECIPIENTS)
              .get(30, TimeUnit.SECONDS));
    }
    sipClient =
        SipLoadClient.connect(group, topology.remoteDomainNames(), USERS, RECIPIENTS, ledger);
  }

  public ServiceProcess proxy() {
    return proxy;
  }

  public ServiceProcess gateway() {
    return gateway;
  }

  /** Warms up, then measures {@code scenario}. */
  public RunReport run(Scenario scenario) throws InterruptedException {
    LoadSender sender =
        scenario.direction() == Scenario.Direction.XMPP_TO_SIP
            ? LoadSender.roundRobin(s2sClients.stream().map(c -> (LoadSender) c::send).toList())
            : sipClient::send;
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

  /**
   * How the two processes are launched: the proxy first and the gateway once it is ready (the
   * default, so the gateway's time is its own), or both at once, as {@code ./dev run} and docker
   * compose do, so the gateway's time includes waiting for the proxy's link listener.
   */
  public enum StartOrder {
    PROXY_FIRST,
    TOGETHER
  }

  static double loadAverage() {
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
