package org.passerelle.bench.load;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.passerelle.testpeers.ProsodyPeer;
import org.passerelle.testpeers.S2sSecurity;
import org.passerelle.testpeers.TestCa;
import org.passerelle.testpeers.XmppPeer;
import org.passerelle.testpeers.XmppPeerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference Passerelle is measured against: two Prosody servers federating over S2S, as an
 * operator would run them, under the same one-to-one message load. Users of domain A on {@link
 * Topology#PROSODY_A} send to users of domain B on {@link Topology#PROSODY_B}; the load clients on
 * both sides are this process's {@link C2sLoadClient}s, several per side so that no single
 * connection limits the rate. {@link #run} measures one {@link Scenario.Direction#XMPP_TO_XMPP}
 * scenario.
 */
public final class ProsodyBench implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProsodyBench.class);

  public static final String DOMAIN_A = "pa.bench.test";
  public static final String DOMAIN_B = "pb.bench.test";

  /** Sender connections (users s0.. on A) and receiver connections (r0.. on B). */
  static final int SENDERS = 4;

  static final int RECEIVERS = 4;

  private static final String PASSWORD = "load";
  private static final int LOG_LINES_KEPT = 200;

  private final EventLoopGroup group = new NioEventLoopGroup(2);
  private final AtomicReference<DeliveryLedger> ledger = new AtomicReference<>();
  private final Measurement measurement = new Measurement(ledger);
  private final List<C2sLoadClient> senders = new ArrayList<>();
  private final List<C2sLoadClient> receivers = new ArrayList<>();
  private final Path dir;
  private ProsodyPeer prosodyA;
  private ProsodyPeer prosodyB;

  private ProsodyBench(Path dir) {
    this.dir = dir;
  }

  /**
   * Starts both servers (certificates from a throw-away CA in {@code dir}), logs the clients in,
   * and sends one message A → B so that the S2S stream is up before any measurement.
   */
  public static ProsodyBench start(Path dir) throws Exception {
    ProsodyBench bench = new ProsodyBench(dir);
    try {
      bench.startAll();
      return bench;
    } catch (Exception | Error e) {
      bench.close();
      throw e;
    }
  }

  private void startAll() throws Exception {
    Files.createDirectories(dir);
    TestCa ca = TestCa.create(dir.resolve("prosody-ca"));
    // Certificates from a CA both trust, and dialback available: Prosody's defaults with valid
    // certificates, as an operator runs it. Which one authenticates is in the kept logs.
    prosodyA =
        new ProsodyPeer(
            XmppPeerConfig.builder(DOMAIN_A, Topology.PROSODY_A)
                .security(S2sSecurity.TLS_DIALBACK)
                .certificate(ca.issue(DOMAIN_A))
                .trustedCa(ca.certificatePath())
                .resolve(DOMAIN_B, Topology.PROSODY_B)
                .tunedForLoad()
                .build());
    prosodyB =
        new ProsodyPeer(
            XmppPeerConfig.builder(DOMAIN_B, Topology.PROSODY_B)
                .security(S2sSecurity.TLS_DIALBACK)
                .certificate(ca.issue(DOMAIN_B))
                .trustedCa(ca.certificatePath())
                .resolve(DOMAIN_A, Topology.PROSODY_A)
                .tunedForLoad()
                .build());
    long begin = System.nanoTime();
    prosodyA.start();
    prosodyB.start();
    for (int i = 0; i < SENDERS; i++) {
      prosodyA.addUser("s" + i, PASSWORD);
    }
    for (int i = 0; i < RECEIVERS; i++) {
      prosodyB.addUser("r" + i, PASSWORD);
    }
    SslContext tls =
        SslContextBuilder.forClient()
            .sslProvider(SslProvider.JDK)
            .trustManager(InsecureTrustManagerFactory.INSTANCE)
            .endpointIdentificationAlgorithm(null)
            .build();
    for (int i = 0; i < RECEIVERS; i++) {
      receivers.add(login(tls, prosodyB, "r" + i));
    }
    for (int i = 0; i < SENDERS; i++) {
      senders.add(login(tls, prosodyA, "s" + i));
    }
    awaitFederation();
    LOG.info(
        "Prosody A and B up, {} senders and {} receivers logged in, S2S open, in {} ms",
        SENDERS,
        RECEIVERS,
        (System.nanoTime() - begin) / 1_000_000);
  }

  private C2sLoadClient login(SslContext tls, ProsodyPeer server, String user) throws Exception {
    return C2sLoadClient.connect(
            group,
            tls,
            new InetSocketAddress(server.address(), XmppPeer.C2S_PORT),
            server.domain(),
            user,
            PASSWORD,
            DOMAIN_B,
            RECEIVERS,
            ledger)
        .get(30, TimeUnit.SECONDS);
  }

  /** The first message to B waits for the S2S stream (TLS, authentication): not measured. */
  private void awaitFederation() throws InterruptedException {
    DeliveryLedger first = new DeliveryLedger(0, RECEIVERS);
    ledger.set(first);
    senders.get(0).send(first, 0, RECEIVERS, System.nanoTime(), 0);
    Pacer.drain(first, RECEIVERS, Duration.ofSeconds(30));
    if (first.delivered() != RECEIVERS) {
      throw new IllegalStateException(
          "Prosody A → B: "
              + first.delivered()
              + " of "
              + RECEIVERS
              + " messages arrived, "
              + first.bounced()
              + " bounced; Prosody A's log:\n"
              + prosodyA.logTail(40)
              + "\nProsody B's log:\n"
              + prosodyB.logTail(40));
    }
  }

  /** Warms up, then measures {@code scenario}, which must be Prosody's ({@code XMPP_TO_XMPP}). */
  public RunReport run(Scenario scenario) throws InterruptedException {
    if (scenario.system() != SystemUnderTest.PROSODY) {
      throw new IllegalArgumentException(scenario.name() + " is for LoadBench");
    }
    long pidA = prosodyA.pid();
    long pidB = prosodyB.pid();
    return measurement.run(
        scenario,
        LoadSender.roundRobin(senders.stream().map(c -> (LoadSender) c::send).toList()),
        () -> ProcessFigures.start(pidA),
        () -> ProcessFigures.start(pidB));
  }

  @Override
  public void close() {
    for (C2sLoadClient client : senders) {
      client.close();
    }
    for (C2sLoadClient client : receivers) {
      client.close();
    }
    closePeer(prosodyA, "prosody-a.log");
    closePeer(prosodyB, "prosody-b.log");
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  /** Keeps the end of the server's log beside the run's other files, then stops it. */
  private void closePeer(ProsodyPeer peer, String logName) {
    if (peer == null) {
      return;
    }
    try {
      Files.writeString(dir.resolve(logName), peer.logTail(LOG_LINES_KEPT));
    } catch (IOException | RuntimeException e) {
      LOG.debug("keeping {}: {}", logName, e.toString());
    }
    peer.close();
  }
}
