package org.passerelle.bench.load;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything of a load run: the proxy and the gateway as child processes, and around them the
 * simulator's S2S streams and server, the SIP sink and the SIP client, all in this process on their
 * own event loops. {@link #run} measures one {@link Scenario}; the first presence scenario sets up
 * the presence subscriptions ({@link PresenceSetUp}).
 *
 * <p>For the floor measurement ({@link SystemUnderTest#RELAY}) two bare relays ({@link RelayMain})
 * take the places of the proxy and the gateway, started the same way, and the tool's relay
 * connections and {@link RelaySink} those of the S2S streams and the SIP sink. {@link #proxy} and
 * {@link #gateway} are then the first and the second relay.
 */
public final class LoadBench implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LoadBench.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  /** Senders per remote domain and local recipients: JIDs repeat, as in real traffic. */
  private static final int USERS = 50;

  private static final int RECIPIENTS = 50;

  private static final int PRESENCE_SUBSCRIPTIONS = 2_000;

  /** Subscription requests per second in the presence set-up, each way. */
  private static final int PRESENCE_SET_UP_RATE = 1_000;

  private static final Duration PRESENCE_SET_UP_LIMIT = Duration.ofSeconds(120);

  /** The JVM options of both processes unless {@code --jvm} says otherwise. */
  public static final List<String> DEFAULT_JVM = List.of("-Xms512m", "-Xmx512m", "-XX:+UseG1GC");

  private final SystemUnderTest system;
  private final EventLoopGroup group = new NioEventLoopGroup(2);
  private final AtomicReference<DeliveryLedger> ledger = new AtomicReference<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private ServiceProcess proxy;
  private ServiceProcess gateway;
  private final List<S2sLoadClient> s2sClients = new ArrayList<>();
  private SipLoadClient sipClient;
  private final List<RelayLoadClient> relayClients = new ArrayList<>();
  private final Measurement measurement = new Measurement(ledger);

  private final SipPresenceDialogs sipPresence = new SipPresenceDialogs(ledger);
  private final RemotePresence remotePresence = new RemotePresence();
  private PresencePairs presencePairs;
  private PresenceSetUp.Took presenceSetUp;

  private LoadBench(SystemUnderTest system) {
    this.system = system;
  }

  /**
   * Writes the run's files into {@code dir}, starts the sinks, the proxy, the gateway, then opens
   * the load streams.
   *
   * @param repo the repository root, whose xmpp-proxy and xmpp-gateway modules are built
   */
  public static LoadBench start(Path repo, Path dir, Topology topology, List<String> jvm)
      throws Exception {
    return start(SystemUnderTest.PASSERELLE, repo, dir, topology, jvm, StartOrder.PROXY_FIRST);
  }

  /** As {@link #start(Path, Path, Topology, List)}, for Passerelle or the bare relays. */
  public static LoadBench start(
      SystemUnderTest system, Path repo, Path dir, Topology topology, List<String> jvm)
      throws Exception {
    return start(system, repo, dir, topology, jvm, StartOrder.PROXY_FIRST);
  }

  /**
   * As {@link #start(SystemUnderTest, Path, Path, Topology, List)}, launching Passerelle's
   * processes in {@code order}.
   */
  public static LoadBench start(
      SystemUnderTest system,
      Path repo,
      Path dir,
      Topology topology,
      List<String> jvm,
      StartOrder order)
      throws Exception {
    if (system == SystemUnderTest.PROSODY) {
      throw new IllegalArgumentException("Prosody runs in ProsodyBench");
    }
    LoadBench bench = new LoadBench(system);
    try {
      if (system == SystemUnderTest.RELAY) {
        bench.startRelays(repo, dir, topology, jvm);
      } else {
        bench.startAll(repo, dir, topology, jvm, order);
      }
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
    closeables.add(S2sSinkServer.start(group, serverTls, keys, ledger, remotePresence));
    closeables.add(SipSink.start(group, ledger, sipPresence));

    proxy =
        ServiceProcess.start(
            "proxy",
            repo.resolve("xmpp-proxy"),
            "org.passerelle.proxy.ProxyMain",
            files.proxyConfig(),
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

  /**
   * The relay chain: the tool's {@link RelaySink}, the second relay (mutual TLS in, plain TCP out,
   * as the gateway's link and SIP sides), the first (TLS in from the tool, mutual TLS out), then
   * one connection per simulated domain from the tool, TLS from the first byte.
   */
  private void startRelays(Path repo, Path dir, Topology topology, List<String> jvm)
      throws Exception {
    // Of the run's files only the CA, the certificates and the logging are used here.
    BenchFiles files = BenchFiles.write(dir, topology);
    SslContext clientTls =
        SslContextBuilder.forClient()
            .sslProvider(SslProvider.JDK)
            .trustManager(InsecureTrustManagerFactory.INSTANCE)
            .endpointIdentificationAlgorithm(null)
            .build();
    closeables.add(RelaySink.start(group, ledger));
    Path trust = files.ca().certificatePath();
    Path second = dir.resolve("relay2.properties");
    new RelayConfig(
            Topology.relay(Topology.RELAY_2),
            Topology.relayAdmin(Topology.RELAY_2),
            files.gatewayCertificate().certificatePem(),
            files.gatewayCertificate().privateKeyPem(),
            trust,
            Topology.relaySink(),
            false,
            true)
        .write(second);
    Path first = dir.resolve("relay1.properties");
    new RelayConfig(
            Topology.relay(Topology.RELAY_1),
            Topology.relayAdmin(Topology.RELAY_1),
            files.proxyCertificate().certificatePem(),
            files.proxyCertificate().privateKeyPem(),
            trust,
            Topology.relay(Topology.RELAY_2),
            true,
            false)
        .write(first);
    Path module = repo.resolve("benchmarks/load");
    String main = RelayMain.class.getName();
    gateway =
        ServiceProcess.start(
            "relay2", module, main, second, dir, jvm, Topology.relayAdmin(Topology.RELAY_2));
    gateway.awaitReady(READY_TIMEOUT);
    proxy =
        ServiceProcess.start(
            "relay1", module, main, first, dir, jvm, Topology.relayAdmin(Topology.RELAY_1));
    proxy.awaitReady(READY_TIMEOUT);
    for (String domain : topology.remoteDomainNames()) {
      relayClients.add(
          RelayLoadClient.connect(group, clientTls, domain, USERS, RECIPIENTS)
              .get(30, TimeUnit.SECONDS));
    }
  }

  public SystemUnderTest system() {
    return system;
  }

  /** The proxy, or the first relay. */
  public ServiceProcess proxy() {
    return proxy;
  }

  /** The gateway, or the second relay. */
  public ServiceProcess gateway() {
    return gateway;
  }

  /** Warms up, then measures {@code scenario}. */
  public RunReport run(Scenario scenario) throws InterruptedException {
    if (scenario.system() != system) {
      throw new IllegalArgumentException(
          scenario.name()
              + " is for "
              + scenario.system().label
              + ", this bench runs "
              + system.label);
    }
    if (scenario.direction().isPresence()) {
      ensurePresence();
    }
    return measurement.run(
        scenario,
        sender(scenario),
        () -> ProcessFigures.start(proxy),
        () -> ProcessFigures.start(gateway));
  }

  /** The relay connections, the S2S streams, the SIP client or a presence peer. */
  private LoadSender sender(Scenario scenario) {
    if (system == SystemUnderTest.RELAY) {
      return LoadSender.roundRobin(relayClients.stream().map(c -> (LoadSender) c::send).toList());
    }
    return switch (scenario.direction()) {
      case XMPP_TO_SIP ->
          LoadSender.roundRobin(s2sClients.stream().map(c -> (LoadSender) c::send).toList());
      case SIP_TO_XMPP -> sipClient::send;
      case PRESENCE_SIP_TO_XMPP -> sipPresence::sendNotifies;
      case PRESENCE_XMPP_TO_SIP -> remotePresence.broadcasts(presencePairs);
      case XMPP_TO_XMPP -> throw new IllegalArgumentException("Prosody runs in ProsodyBench");
    };
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

  @Override
  public void close() {
    for (S2sLoadClient client : s2sClients) {
      client.close();
    }
    for (RelayLoadClient client : relayClients) {
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
