package org.passerelle.gateway.sip;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * Hostile SIP requests toward the gateway's endpoint: malformed, oversized, a forged local sender,
 * a flood. Each offender gets the answer RFC 3261 names (or, when no answer can be built, nothing
 * and a short log line), while two well-behaved peers keep getting every MESSAGE answered: the
 * organisation's SIP server (127.0.0.91, trusted, sending for local users) and a polite remote SIP
 * peer (127.0.0.92). The endpoint listens on 127.0.0.90; attackers come from 127.0.0.93–97.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SipHostileRequestsTest {
  private static final String LOCAL_DOMAIN = "sip.example.test";
  private static final InetAddress GATEWAY = address("127.0.0.90");
  private static final InetAddress SIP_SERVER = address("127.0.0.91");
  private static final InetAddress POLITE_PEER = address("127.0.0.92");
  private static final int MAX_BODY = 1000;
  private static final RequestRate RATE = new RequestRate(20, 20);

  private final BlockingQueue<IncomingMessage> handled = new LinkedBlockingQueue<>();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final List<Logger> watched =
      List.of(
          (Logger) LoggerFactory.getLogger("gov.nist"),
          (Logger) LoggerFactory.getLogger("org.passerelle"));
  private final List<AutoCloseable> attackers = new ArrayList<>();
  private SipEndpoint endpoint;
  private InetSocketAddress udp;
  private SipTraffic traffic;

  @BeforeAll
  void start() throws IOException {
    int port = FreePorts.udpAndTcp(GATEWAY);
    endpoint =
        SipEndpoint.start(
            SipSettings.builder(GATEWAY)
                .udp(port)
                .tcp(port)
                .domains(SipSettings.ANY_DOMAIN)
                .maxBodyBytes(MAX_BODY)
                .trustedSources(
                    new TrustedSources(
                        Set.of(LOCAL_DOMAIN), List.of(AddressRange.parse("127.0.0.91"))))
                .requestRate(RATE)
                .build(),
            SipHandlers.message(
                SipHandlers.TEXT_PLAIN,
                (message, responder) -> {
                  handled.add(message);
                  responder.respond(202, "Accepted");
                }));
    udp = endpoint.localAddress(SipTransport.UDP);
  }

  @AfterAll
  void stop() {
    if (endpoint != null) {
      endpoint.close();
    }
  }

  @BeforeEach
  void startWellBehavedTraffic() throws IOException {
    logs.start();
    watched.forEach(logger -> logger.addAppender(logs));
    handled.clear();
    traffic = new SipTraffic(udp, SIP_SERVER, "alice@" + LOCAL_DOMAIN, POLITE_PEER);
  }

  @AfterEach
  void stopEverything() throws Exception {
    traffic.close();
    for (AutoCloseable attacker : attackers) {
      attacker.close();
    }
    attackers.clear();
    watched.forEach(logger -> logger.detachAppender(logs));
    logs.stop();
  }

  @Test
  void malformedRequestIsAnswered400AndOtherPeersKeepBeingServed() throws Exception {
    // RFC 3261 §21.4.1; JAIN-SIP answers it before it reaches us.
    RawSip attacker = attacker("127.0.0.93");

    attacker.send(
        request(attacker, "MESSAGE", "sip:bob@remote.example", "evil@remote.example", "x")
            .replace("CSeq: 1 MESSAGE", "CSeq: one MESSAGE"),
        udp);

    assertThat(attacker.receive().startLine()).startsWith("SIP/2.0 400 ");
    traffic.assertUndisturbed();
  }

  @Test
  void requestTooBrokenToAnswerIsDroppedWithoutQuotingItAndOtherPeersKeepBeingServed()
      throws Exception {
    // Without From, To, Call-ID and CSeq no response can be built (RFC 3261 §8.2.6.2).
    RawSip attacker = attacker("127.0.0.93");
    String secret = "secret-4f1c: never in the logs";
    String headless =
        "MESSAGE sip:bob@remote.example SIP/2.0\r\nVia: SIP/2.0/UDP "
            + attacker.hostPort()
            + ";branch=z9hG4bK-headless\r\nContent-Length: "
            + secret.length()
            + "\r\n\r\n"
            + secret;

    for (int i = 0; i < 20; i++) {
      attacker.send(headless, udp);
      attacker.send("\u0000\u0001 garbage \r\n\r\n" + secret, udp);
    }

    traffic.assertUndisturbed();
    assertThat(attacker.receiveWithin(200)).isEmpty();
    assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains("secret-4f1c"));
    assertThat(logs.list).allMatch(e -> e.getFormattedMessage().length() < 400);
  }

  @Test
  void oversizedRequestIsAnswered413AndOtherPeersKeepBeingServed() throws Exception {
    // RFC 3261 §21.4.11, for any method: here a MESSAGE and an OPTIONS.
    RawSip attacker = attacker("127.0.0.94");
    String big = "x".repeat(MAX_BODY + 1);

    attacker.send(request(attacker, "MESSAGE", "sip:bob@remote.example", "e@r.example", big), udp);
    RawSip.Received message = attacker.receive();
    attacker.send(request(attacker, "OPTIONS", "sip:bob@remote.example", "e@r.example", big), udp);
    RawSip.Received options = attacker.receive();

    assertThat(message.startLine()).startsWith("SIP/2.0 413 ");
    assertThat(options.startLine()).startsWith("SIP/2.0 413 ");
    traffic.assertUndisturbed();
    assertThat(handled).noneMatch(m -> m.body().length() > MAX_BODY);
  }

  @Test
  void hugeRequestOverTcpEndsItsConnectionAndOtherPeersKeepBeingServed() throws Exception {
    // Beyond max-body-bytes plus 8 KiB of headers JAIN-SIP stops reading the connection.
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress("127.0.0.95", 0));
      socket.connect(new InetSocketAddress(GATEWAY, udp.getPort()), 5_000);
      socket.setSoTimeout(5_000);
      String huge =
          request(
                  "127.0.0.95:" + socket.getLocalPort(),
                  "TCP",
                  "MESSAGE",
                  "sip:bob@remote.example",
                  "e@r.example",
                  "x".repeat(100_000))
              .replace("Content-Length: 100000", "Content-Length: 100000000");

      boolean cutOff = false;
      try {
        socket.getOutputStream().write(huge.getBytes(UTF_8));
        cutOff = socket.getInputStream().read() < 0;
      } catch (IOException reset) {
        cutOff = true;
      }

      assertThat(cutOff).as("the connection was closed").isTrue();
    }
    traffic.assertUndisturbed();
  }

  @Test
  void forgedLocalSenderFromAnUntrustedSourceGets403AndIsLoggedAndOtherPeersKeepBeingServed()
      throws Exception {
    RawSip forger = attacker("127.0.0.96");

    forger.send(
        request(forger, "MESSAGE", "sip:bob@remote.example", "ceo@" + LOCAL_DOMAIN, "pay now"),
        udp);
    RawSip.Received answer = forger.receive();

    assertThat(answer.startLine()).startsWith("SIP/2.0 403 ");
    traffic.assertUndisturbed();
    assertThat(handled).noneMatch(m -> m.from().contains("ceo@"));
    assertThat(logs.list)
        .anyMatch(
            e ->
                e.getLevel() == Level.WARN
                    && e.getFormattedMessage().contains("127.0.0.96")
                    && e.getFormattedMessage().contains("sip.trusted-sources"));
  }

  @Test
  void requestFloodFromOneSourceGets503WithRetryAfterAndOtherPeersKeepBeingServed()
      throws Exception {
    RawSip flooder = attacker("127.0.0.97");
    int flood = 300;

    for (int i = 0; i < flood; i++) {
      flooder.send(
          request(flooder, "MESSAGE", "sip:bob@remote.example", "f@r.example", "flood " + i), udp);
    }
    List<RawSip.Received> answers = new ArrayList<>();
    for (Optional<RawSip.Received> r = flooder.receiveWithin(2_000);
        r.isPresent();
        r = flooder.receiveWithin(500)) {
      answers.add(r.get());
    }

    List<RawSip.Received> refused =
        answers.stream().filter(a -> a.startLine().startsWith("SIP/2.0 503 ")).toList();
    assertThat(refused).isNotEmpty();
    assertThat(refused.get(0).headers("Retry-After"))
        .singleElement()
        .asString()
        .matches("[1-9][0-9]*");
    long accepted = answers.stream().filter(a -> a.startLine().startsWith("SIP/2.0 202 ")).count();
    assertThat(accepted).isLessThanOrEqualTo(RATE.burst() + 10L);
    traffic.assertUndisturbed();
  }

  private RawSip attacker(String address) throws IOException {
    RawSip raw = new RawSip(address(address));
    attackers.add(raw);
    return raw;
  }

  private static String request(
      RawSip from, String method, String uri, String fromUser, String body) {
    return request(from.hostPort(), "UDP", method, uri, fromUser, body);
  }

  /** A request with everything RFC 3261 §8.1.1 requires. */
  static String request(
      String viaHostPort,
      String transport,
      String method,
      String uri,
      String fromUser,
      String body) {
    String unique = Long.toHexString(System.nanoTime());
    return method
        + " "
        + uri
        + " SIP/2.0\r\n"
        + "Via: SIP/2.0/"
        + transport
        + " "
        + viaHostPort
        + ";branch=z9hG4bK-"
        + unique
        + "\r\n"
        + "Max-Forwards: 70\r\n"
        + "From: <sip:"
        + fromUser
        + ">;tag="
        + unique
        + "\r\n"
        + "To: <"
        + uri
        + ">\r\n"
        + "Call-ID: hostile-"
        + unique
        + "\r\n"
        + "CSeq: 1 "
        + method
        + "\r\n"
        + "Content-Type: text/plain\r\n"
        + "Content-Length: "
        + body.getBytes(UTF_8).length
        + "\r\n\r\n"
        + body;
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  /**
   * Two well-behaved peers sending a MESSAGE each every 100 ms, each waiting for its answer: the
   * trusted SIP server for a local user, and a polite remote peer. Every one must get 202.
   */
  private static final class SipTraffic implements AutoCloseable {
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger answered = new AtomicInteger();
    private final RawSip server;
    private final RawSip polite;
    private final String localUser;
    private final InetSocketAddress to;
    private final ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "well-behaved-sip");
              t.setDaemon(true);
              return t;
            });

    SipTraffic(InetSocketAddress to, InetAddress server, String localUser, InetAddress polite)
        throws IOException {
      this.to = to;
      this.server = new RawSip(server);
      this.polite = new RawSip(polite);
      this.localUser = localUser;
      timer.scheduleWithFixedDelay(this::exchange, 0, 100, TimeUnit.MILLISECONDS);
    }

    private void exchange() {
      exchange(server, localUser);
      exchange(polite, "carol@remote.example");
    }

    private void exchange(RawSip peer, String fromUser) {
      String request = request(peer, "MESSAGE", "sip:bob@remote.example", fromUser, "hello");
      String callId = request.substring(request.indexOf("Call-ID: ") + 9).split("\r\n")[0];
      try {
        // Like any UAC over UDP, retransmit with Timer E (RFC 3261 §17.1.2.2: T1 doubling to
        // T2): in a flood the kernel may drop any datagram, ours included.
        Optional<RawSip.Received> answer = Optional.empty();
        for (int interval = 500, waited = 0; answer.isEmpty() && waited < 10_000; ) {
          peer.send(request, to);
          answer =
              peer.receiveWithin(
                  interval, r -> r.isResponse() && r.headers("Call-ID").contains(callId));
          waited += interval;
          interval = Math.min(interval * 2, 4_000);
        }
        if (answer.isEmpty()) {
          failures.add(fromUser + ": no answer");
        } else if (!answer.get().startLine().startsWith("SIP/2.0 202 ")) {
          failures.add(fromUser + ": " + answer.get().startLine());
        }
        answered.incrementAndGet();
      } catch (IOException e) {
        failures.add(fromUser + ": " + e);
      }
    }

    /** A few more exchanges, then: every one was answered 202. */
    void assertUndisturbed() throws InterruptedException {
      int target = answered.get() + 6;
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (answered.get() < target && failures.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(failures).as("well-behaved requests not answered 202").isEmpty();
      assertThat(answered.get()).isGreaterThanOrEqualTo(target);
    }

    @Override
    public void close() {
      timer.shutdownNow();
      try {
        timer.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      server.close();
      polite.close();
    }
  }
}
