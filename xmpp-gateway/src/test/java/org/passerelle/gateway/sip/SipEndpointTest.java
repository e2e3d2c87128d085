package org.passerelle.gateway.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.passerelle.model.address.AddressMapper;
import org.passerelle.model.address.SipUri;

/**
 * Two endpoints on loopback sending each other MESSAGE requests over UDP and TCP, and a
 * hand-written SIP peer ({@link RawSip}) for what the API does not show. The two main endpoints are
 * shared by the tests (stopping a JAIN-SIP stack takes a second); tests that need other settings
 * start their own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SipEndpointTest {

  /** Short, so that Timer F (64 × T1) fires after 1.28 s. */
  private static final Duration T1 = Duration.ofMillis(20);

  private static final String UNICODE = "Grüße, 世界! 👋 — ça va ?";

  private final Recipient bob = new Recipient();

  /** Serves any domain; MESSAGE requests go to {@link #bob}. */
  private SipEndpoint remote;

  /** Serves gw.example and remote.example; has no handlers. */
  private SipEndpoint gateway;

  private final List<AutoCloseable> perTest = new ArrayList<>();

  @BeforeAll
  void startSharedEndpoints() throws IOException {
    remote =
        SipEndpoint.start(
            settings().domains("*").build(), SipHandlers.message(SipHandlers.TEXT_PLAIN, bob));
    gateway =
        SipEndpoint.start(
            settings().domains("gw.example", "remote.example").build(), SipHandlers.none());
  }

  @AfterAll
  void stopSharedEndpoints() {
    remote.close();
    gateway.close();
  }

  @BeforeEach
  void resetRecipient() {
    bob.reset();
  }

  @AfterEach
  void closePerTestEndpoints() throws Exception {
    for (AutoCloseable c : perTest) {
      c.close();
    }
  }

  @Test
  void messageRoundTripOverUdpCarriesUnicodeBodyAndRfc7572Headers() throws Exception {
    OutgoingMessage message =
        OutgoingMessage.builder(uriOf(remote, ""), "sip:alice@gw.example;gr=laptop", UNICODE)
            .to("sip:bob@remote.example")
            .callId("thread-42@gw.example")
            .subject("Grüße")
            .contentLanguage("de-CH")
            .build();

    SipResponseInfo response = await(gateway.sendMessage(message));

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.isSuccess()).isTrue();
    assertThat(response.callId()).isEqualTo("thread-42@gw.example");
    IncomingMessage received = bob.next();
    assertThat(received.body()).isEqualTo(UNICODE);
    assertThat(received.contentType()).isEqualTo("text/plain");
    assertThat(received.from()).isEqualTo("sip:alice@gw.example;gr=laptop");
    assertThat(received.to()).isEqualTo("sip:bob@remote.example");
    assertThat(received.requestUri()).isEqualTo(uriOf(remote, ""));
    assertThat(received.callId()).isEqualTo("thread-42@gw.example");
    assertThat(received.subject()).contains("Grüße");
    assertThat(received.contentLanguage()).contains("de-CH");
    assertThat(received.transport()).isEqualTo(SipTransport.UDP);
    assertThat(received.source().getPort()).isEqualTo(udpPort(gateway));
  }

  /**
   * Addresses mapped from JIDs come parsed: over TCP the request is written by {@code
   * MessageWriter}, over UDP built by JAIN-SIP from their parts (decision 25). The receiver reads
   * the same message either way.
   */
  @ParameterizedTest
  @ValueSource(strings = {"", ";transport=tcp"})
  void messageFromParsedAddressesArrivesTheSameOverUdpAndTcp(String transport) throws Exception {
    SipUri requestUri = SipUri.parse(uriOf(remote, transport));
    OutgoingMessage message =
        OutgoingMessage.builder(
                requestUri, AddressMapper.toSipUri("m\\26m@gw.example/Büro 1"), UNICODE)
            .to(SipUri.parse("sip:bob@remote.example"))
            .callId("thread-43@gw.example")
            .subject("Grüße \"x\" <y>")
            .contentLanguage("iw-il")
            .build();
    assertThat(message.uris()).isPresent();

    SipResponseInfo response = await(gateway.sendMessage(message));

    assertThat(response.statusCode()).isEqualTo(202);
    IncomingMessage received = bob.next();
    assertThat(received.transport())
        .isEqualTo(transport.isEmpty() ? SipTransport.UDP : SipTransport.TCP);
    assertThat(received.requestUri()).isEqualTo(requestUri.toString());
    assertThat(received.from()).isEqualTo("sip:m&m@gw.example;gr=B%C3%BCro%201");
    assertThat(received.to()).isEqualTo("sip:bob@remote.example");
    assertThat(received.callId()).isEqualTo("thread-43@gw.example");
    assertThat(received.subject()).contains("Grüße \"x\" <y>");
    assertThat(received.contentLanguage()).contains("he-IL");
    assertThat(received.body()).isEqualTo(UNICODE);
  }

  @Test
  void transportParameterSelectsTcp_rfc3263section4_1() throws Exception {
    SipResponseInfo response =
        await(gateway.sendMessage(message(uriOf(remote, ";transport=tcp"), UNICODE)));

    assertThat(response.statusCode()).isEqualTo(202);
    IncomingMessage received = bob.next();
    assertThat(received.transport()).isEqualTo(SipTransport.TCP);
    assertThat(received.body()).isEqualTo(UNICODE);
  }

  @Test
  void requestOver1300BytesGoesOverTcpIntact_rfc3261section18_1_1() throws Exception {
    StringBuilder body = new StringBuilder();
    while (body.length() < 10_000) {
      body.append("line ").append(body.length()).append(" é\n");
    }

    SipResponseInfo response =
        await(gateway.sendMessage(message(uriOf(remote, ""), body.toString())));

    assertThat(response.statusCode()).isEqualTo(202);
    IncomingMessage received = bob.next();
    assertThat(received.transport()).isEqualTo(SipTransport.TCP);
    assertThat(received.body()).isEqualTo(body.toString());
  }

  @Test
  void requestOfExactly1300BytesStaysOnUdpAndOneByteMoreGoesOverTcp_rfc3261section18_1_1()
      throws Exception {
    // A fresh endpoint numbers its first requests 1 and 2, a fresh factory its first 1: one digit
    // each, so the factory's request has the endpoint's size byte for byte (the From tag is always
    // 16 hex digits, the Via port a placeholder until the transport is chosen).
    SipEndpoint sender = startOwn(settings().domains("gw.example").build(), SipHandlers.none());
    for (int limit : new int[] {1300, 1301}) {
      // Bodies of 1000 bytes and a little more: Content-Length keeps its four digits.
      int size = encodedSize(sized("x".repeat(1000)));
      String body = "x".repeat(1000 + limit - size);
      assertThat(encodedSize(sized(body))).isEqualTo(limit);

      assertThat(await(sender.sendMessage(sized(body))).statusCode()).isEqualTo(202);

      IncomingMessage received = bob.next();
      assertThat(received.body()).isEqualTo(body);
      assertThat(received.transport())
          .isEqualTo(
              limit <= SipEndpoint.MAX_UDP_REQUEST_BYTES ? SipTransport.UDP : SipTransport.TCP);
    }
  }

  private OutgoingMessage sized(String body) {
    return OutgoingMessage.builder(uriOf(remote, ""), "sip:alice@gw.example", body)
        .callId("sized@gw.example")
        .build();
  }

  /** The size {@link RequestSender} measures: encoded as built, before the transport is known. */
  private static int encodedSize(OutgoingMessage m) throws Exception {
    return ((gov.nist.javax.sip.message.SIPMessage)
            new MessageRequests(FreePorts.LOOPBACK)
                .draft(m, m.body().getBytes(StandardCharsets.UTF_8))
                .request())
        .encodeAsBytes(SipTransport.UDP.token())
        .length;
  }

  /**
   * RFC 3261 §17.1.2.2: over a reliable transport Timer K is zero, a non-INVITE client transaction
   * ends with its final response. Nothing may keep answered transactions: at thousands of messages
   * a second, every second they linger costs thousands of live objects. A MESSAGE over TCP goes on
   * the gateway's own stream (decision 16) and never enters JAIN-SIP's table at all.
   */
  @Test
  void answeredClientTransactionsAreNotKeptOverTcp_rfc3261section17_1_2_2() throws Exception {
    int proxyPort = remote.localAddress(SipTransport.TCP).getPort();
    SipEndpoint viaTcp =
        startOwn(
            settings()
                .t1(Duration.ofMillis(500)) // the default: JAIN-SIP's timer ticks every T1
                .domains("gw.example")
                .outboundProxy(SipServerAddress.parse("127.0.0.1:" + proxyPort + ";transport=tcp"))
                .build(),
            SipHandlers.none());
    long before = liveClientTransactions();
    List<CompletableFuture<SipResponseInfo>> sent = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      sent.add(
          viaTcp.sendMessage(message("sip:bob@nowhere.invalid", "m" + i)).toCompletableFuture());
    }
    for (CompletableFuture<SipResponseInfo> response : sent) {
      assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
    }

    // JAIN-SIP takes a transaction out of its table after our listener has seen the response.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (viaTcp.clientTransactionsInStack() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(viaTcp.clientTransactionsInStack()).isZero();
    assertThat(viaTcp.requestsUnderWay()).isZero();
    // JAIN-SIP's connection object keeps a reference to a client transaction it carried
    // (MessageChannel.encapsulatedClientTransaction): one for the new connection, not one per
    // request. Other tests' endpoints in this JVM may hold theirs, hence the count before.
    long live = liveClientTransactions();
    while (live > before + 1 && System.nanoTime() < deadline) {
      Thread.sleep(100);
      live = liveClientTransactions();
    }
    assertThat(live)
        .as("client transactions still reachable after their final responses")
        .isLessThanOrEqualTo(before + 1);
  }

  /**
   * Live instances of JAIN-SIP's client transaction class in this JVM, from a class histogram (what
   * {@code jcmd <pid> GC.class_histogram} prints, after a full collection).
   */
  private static long liveClientTransactions() throws Exception {
    String histogram =
        (String)
            ManagementFactory.getPlatformMBeanServer()
                .invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "gcClassHistogram",
                    new Object[] {new String[0]},
                    new String[] {String[].class.getName()});
    long count = 0;
    for (String line : histogram.split("\n")) {
      String[] columns = line.trim().split("\\s+");
      if (columns.length >= 4
          && columns[3].equals("gov.nist.javax.sip.stack.SIPClientTransactionImpl")) {
        count += Long.parseLong(columns[1]);
      }
    }
    return count;
  }

  @Test
  void failureResponsesSurfaceWithTheirCodes_rfc3428section7() throws Exception {
    for (int status : new int[] {404, 480, 603}) {
      bob.status = status;

      SipResponseInfo response = await(gateway.sendMessage(message(uriOf(remote, ""), "hi")));

      assertThat(response.statusCode()).isEqualTo(status);
      assertThat(response.isSuccess()).isFalse();
    }
  }

  @Test
  void unansweredRequestTimesOutAfterTimerF_rfc3261section17_1_2_2() throws Exception {
    try (RawSip silent = new RawSip()) {
      long start = System.nanoTime();

      SipSendException e =
          failure(gateway.sendMessage(message("sip:bob@127.0.0.1:" + silent.port(), "anyone?")));

      assertThat(e.reason()).isEqualTo(SipSendException.Reason.TIMEOUT);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(T1.multipliedBy(SipSettings.TIMER_F_FACTOR).minusMillis(100));
    }
  }

  @Test
  void refusedTcpConnectionFailsAsTransportError_rfc3261section8_1_3_1() throws Exception {
    int closedPort = FreePorts.udpAndTcp();

    SipSendException e =
        failure(
            gateway.sendMessage(
                message("sip:bob@127.0.0.1:" + closedPort + ";transport=tcp", "hello?")));

    assertThat(e.reason()).isEqualTo(SipSendException.Reason.TRANSPORT);
  }

  @Test
  void messageHasNoContactAndTheMandatoryHeaders_rfc3428section4() throws Exception {
    try (RawSip raw = new RawSip()) {
      CompletionStage<SipResponseInfo> sent =
          gateway.sendMessage(message("sip:bob@127.0.0.1:" + raw.port(), "hi"));

      RawSip.Received request = raw.receive();
      assertThat(request.startLine())
          .isEqualTo("MESSAGE sip:bob@127.0.0.1:" + raw.port() + " SIP/2.0");
      assertThat(request.headers("Contact")).isEmpty();
      assertThat(request.text()).doesNotContainPattern("(?m)^m\\s*:");
      assertThat(request.headers("Max-Forwards")).containsExactly("70");
      assertThat(request.headers("Content-Type"))
          .singleElement()
          .asString()
          .matches("(?i)text/plain;\\s*charset=UTF-8");
      assertThat(request.headers("From")).singleElement().asString().contains(";tag=");
      assertThat(request.headers("To")).singleElement().asString().doesNotContain("tag=");
      assertThat(request.headers("CSeq")).singleElement().asString().endsWith(" MESSAGE");
      assertThat(request.headers("Via"))
          .singleElement()
          .asString()
          .startsWith("SIP/2.0/UDP 127.0.0.1:" + udpPort(gateway))
          .contains(";branch=z9hG4bK");
      assertThat(request.headers("Call-ID")).singleElement().asString().isNotBlank();
      assertThat(request.body()).isEqualTo("hi");

      raw.answer(request, 200, "OK");
      assertThat(await(sent).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void bodyAboveTheLimitIsRefusedBeforeAnythingIsSent() throws Exception {
    SipEndpoint small =
        startOwn(settings().domains("gw.example").maxBodyBytes(100).build(), SipHandlers.none());
    try (RawSip raw = new RawSip()) {
      SipSendException e =
          failure(small.sendMessage(message("sip:bob@127.0.0.1:" + raw.port(), "é".repeat(51))));

      assertThat(e.reason()).isEqualTo(SipSendException.Reason.TOO_LARGE);
      assertThat(e).hasMessageContaining("102 bytes").hasMessageContaining("limit of 100");
      assertThat(raw.receiveWithin(300)).isEmpty();
    }
  }

  @Test
  void receivedBodyAboveTheLimitGets413_rfc3261section21_4_11() throws Exception {
    Recipient carol = new Recipient();
    carol.reset();
    SipEndpoint small =
        startOwn(
            settings().domains("gw.example").maxBodyBytes(10).build(),
            SipHandlers.message(SipHandlers.TEXT_PLAIN, carol));
    try (RawSip raw = new RawSip()) {
      raw.send(
          rawMessage(raw, "sip:carol@gw.example", "text/plain", "x".repeat(11)), udpPort(small));

      assertThat(raw.receive().startLine()).startsWith("SIP/2.0 413 ");
      assertThat(carol.received).isEmpty();
    }
  }

  @Test
  void unavailableAnswers503WithRetryAfterInWholeSecondsRoundedUp_rfc3261section20_33()
      throws Exception {
    SipEndpoint busy =
        startOwn(
            settings().domains("gw.example").build(),
            SipHandlers.message(
                SipHandlers.TEXT_PLAIN,
                (message, responder) -> responder.unavailable("Busy", Duration.ofMillis(1500))));
    try (RawSip raw = new RawSip()) {
      raw.send(rawMessage(raw, "sip:bob@gw.example", "text/plain", "hi"), udpPort(busy));

      RawSip.Received response = raw.receive();
      assertThat(response.startLine()).isEqualTo("SIP/2.0 503 Busy");
      assertThat(response.headers("Retry-After")).containsExactly("2");
    }
  }

  @Test
  void recognisedMethodWithoutHandlerGets405WithAllow_rfc3261section8_2_1() throws Exception {
    try (RawSip raw = new RawSip()) {
      String contact = "Contact: <sip:peer@127.0.0.1:" + raw.port() + ">\r\n";
      raw.send(
          RawSip.request(
              "SUBSCRIBE", "sip:bob@x.example", raw.port(), "Event: presence\r\n" + contact, ""),
          udpPort(remote));

      RawSip.Received response = raw.receive();
      assertThat(response.startLine()).startsWith("SIP/2.0 405 ");
      assertThat(String.join(",", response.headers("Allow")))
          .contains("OPTIONS")
          .contains("MESSAGE")
          .doesNotContain("SUBSCRIBE");
      assertThat(response.headers("To")).singleElement().asString().contains("tag=");
    }
  }

  @Test
  void recognisedMethodJainSipRefusesATransactionForStillGets405() throws Exception {
    try (RawSip raw = new RawSip()) {
      // A SUBSCRIBE without Contact: JAIN-SIP will not create a server transaction for it.
      raw.send(
          RawSip.request("SUBSCRIBE", "sip:bob@x.example", raw.port(), "Event: presence\r\n", ""),
          udpPort(remote));

      assertThat(raw.receive().startLine()).startsWith("SIP/2.0 405 ");
    }
  }

  @Test
  void unknownMethodGets501_rfc3261section21_5_2() throws Exception {
    try (RawSip raw = new RawSip()) {
      raw.send(
          RawSip.request("FROBNICATE", "sip:bob@gw.example", raw.port(), "", ""), udpPort(gateway));

      assertThat(raw.receive().startLine()).startsWith("SIP/2.0 501 ");
    }
  }

  @Test
  void messageWithoutHandlerGets405() throws Exception {
    try (RawSip raw = new RawSip()) {
      raw.send(rawMessage(raw, "sip:bob@gw.example", "text/plain", "hi"), udpPort(gateway));

      RawSip.Received response = raw.receive();
      assertThat(response.startLine()).startsWith("SIP/2.0 405 ");
      assertThat(response.headers("Allow")).containsExactly("OPTIONS");
    }
  }

  @Test
  void optionsGets200WithAllowAndAccept_rfc3261section11_2() throws Exception {
    try (RawSip raw = new RawSip()) {
      raw.send(RawSip.request("OPTIONS", "sip:127.0.0.1", raw.port(), "", ""), udpPort(remote));

      RawSip.Received response = raw.receive();
      assertThat(response.startLine()).isEqualTo("SIP/2.0 200 OK");
      assertThat(String.join(",", response.headers("Allow"))).contains("OPTIONS", "MESSAGE");
      assertThat(response.headers("Accept")).containsExactly("text/plain");
      assertThat(response.headers("Contact")).isEmpty();
      assertThat(response.headers("Content-Length")).containsExactly("0");
    }
  }

  @Test
  void unsupportedMediaTypeGets415WithAccept_rfc3261section21_4_13() throws Exception {
    try (RawSip raw = new RawSip()) {
      raw.send(rawMessage(raw, "sip:bob@x.example", "text/html", "<b>x</b>"), udpPort(remote));

      RawSip.Received response = raw.receive();
      assertThat(response.startLine()).startsWith("SIP/2.0 415 ");
      assertThat(response.headers("Accept")).containsExactly("text/plain");
      assertThat(bob.received).isEmpty();
    }
  }

  @Test
  void requestForADomainNotServedGets404_rfc3261section21_4_5() throws Exception {
    try (RawSip raw = new RawSip()) {
      raw.send(rawMessage(raw, "sip:bob@elsewhere.example", "text/plain", "x"), udpPort(gateway));

      assertThat(raw.receive().startLine()).startsWith("SIP/2.0 404 ");
    }
  }

  @Test
  void bodyInvalidForItsCharsetGets400() throws Exception {
    try (RawSip raw = new RawSip()) {
      byte[] request =
          rawMessage(raw, "sip:bob@x.example", "text/plain", "ab").getBytes(StandardCharsets.UTF_8);
      request[request.length - 2] = (byte) 0xC3; // a UTF-8 lead byte followed by ASCII: malformed

      raw.send(request, udpPort(remote));

      assertThat(raw.receive().startLine()).startsWith("SIP/2.0 400 ");
      assertThat(bob.received).isEmpty();
    }
  }

  @Test
  void malformedMandatoryHeaderGets400FromJainSip_rfc3261section8_2_2() throws Exception {
    try (RawSip raw = new RawSip()) {
      String badCseq =
          rawMessage(raw, "sip:bob@x.example", "text/plain", "x")
              .replace("CSeq: 1 MESSAGE", "CSeq: one MESSAGE");

      raw.send(badCseq, udpPort(remote));

      assertThat(raw.receive().startLine()).startsWith("SIP/2.0 400 ");
      assertThat(bob.received).isEmpty();
    }
  }

  @Test
  void aRequestCanBeAnsweredOnlyOnce() throws Exception {
    BlockingQueue<RuntimeException> secondAnswer = new LinkedBlockingQueue<>();
    bob.instead =
        (message, responder) -> {
          responder.respond(202, "");
          try {
            responder.respond(500, "");
          } catch (RuntimeException e) {
            secondAnswer.add(e);
          }
        };

    SipResponseInfo response = await(gateway.sendMessage(message(uriOf(remote, ""), "x")));

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(secondAnswer.poll(5, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void handlerThatThrowsLeadsTo500() throws Exception {
    bob.instead =
        (message, responder) -> {
          throw new IllegalStateException("a bug in the handler");
        };

    SipResponseInfo response = await(gateway.sendMessage(message(uriOf(remote, ""), "x")));

    assertThat(response.statusCode()).isEqualTo(500);
  }

  @Test
  void outboundProxyReceivesEveryRequestWhateverItsRequestUri() throws Exception {
    int proxyPort = remote.localAddress(SipTransport.TCP).getPort();
    SipEndpoint viaProxy =
        startOwn(
            settings()
                .domains("gw.example")
                .outboundProxy(SipServerAddress.parse("127.0.0.1:" + proxyPort + ";transport=tcp"))
                .build(),
            SipHandlers.none());

    SipResponseInfo response =
        await(viaProxy.sendMessage(message("sip:bob@nowhere.invalid", "via the proxy")));

    assertThat(response.statusCode()).isEqualTo(202);
    IncomingMessage received = bob.next();
    assertThat(received.requestUri()).isEqualTo("sip:bob@nowhere.invalid");
    assertThat(received.transport()).isEqualTo(SipTransport.TCP);
  }

  @Test
  void invalidAddressFailsWithoutSending() throws Exception {
    SipSendException e = failure(gateway.sendMessage(message("sip:bob@", "x")));

    assertThat(e.reason()).isEqualTo(SipSendException.Reason.INVALID_ADDRESS);
  }

  /** RFC 3263 §4.1: a transport the gateway does not have cannot reach the URI's server. */
  @Test
  void addressNamingAnUnsupportedTransportFailsWithoutSending() throws Exception {
    SipSendException text =
        failure(gateway.sendMessage(message("sip:bob@127.0.0.1;transport=sctp", "x")));
    SipUri uri = SipUri.parse("sip:bob@127.0.0.1;transport=sctp");
    SipSendException parsed =
        failure(
            gateway.sendMessage(
                OutgoingMessage.builder(uri, SipUri.parse("sip:alice@gw.example"), "x").build()));

    assertThat(text.reason()).isEqualTo(SipSendException.Reason.INVALID_ADDRESS);
    assertThat(text).hasMessageContaining("sctp");
    assertThat(parsed.reason()).isEqualTo(SipSendException.Reason.INVALID_ADDRESS);
  }

  @Test
  void closedEndpointFailsWhatWaitsAndRefusesToSend() throws Exception {
    SipEndpoint closing = startOwn(settings().domains("gw.example").build(), SipHandlers.none());
    try (RawSip silent = new RawSip()) {
      CompletionStage<SipResponseInfo> waiting =
          closing.sendMessage(message("sip:b@127.0.0.1:" + silent.port(), "x"));
      silent.receive();

      closing.close();
      closing.close();

      assertThat(failure(waiting).reason()).isEqualTo(SipSendException.Reason.CLOSED);
      assertThat(failure(closing.sendMessage(message("sip:b@127.0.0.1:5060", "x"))).reason())
          .isEqualTo(SipSendException.Reason.CLOSED);
    }
  }

  @Test
  void portInUseFailsTheStartNamingTheAddress() {
    int port = udpPort(gateway);
    SipSettings clash =
        SipSettings.builder(FreePorts.LOOPBACK).udp(port).domains("gw.example").build();

    assertThatThrownBy(() -> SipEndpoint.start(clash, SipHandlers.none()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("127.0.0.1:" + port);
  }

  /** Keeps every MESSAGE and answers {@link #status}, unless a test installs its own handler. */
  private static final class Recipient implements MessageHandler {
    final BlockingQueue<IncomingMessage> received = new LinkedBlockingQueue<>();
    volatile int status;
    volatile MessageHandler instead;

    void reset() {
      received.clear();
      status = 202;
      instead = null;
    }

    @Override
    public void onMessage(IncomingMessage message, SipResponder responder) {
      received.add(message);
      if (instead != null) {
        instead.onMessage(message, responder);
      } else {
        responder.respond(status, "");
      }
    }

    IncomingMessage next() throws InterruptedException {
      IncomingMessage m = received.poll(5, TimeUnit.SECONDS);
      assertThat(m).as("a MESSAGE arrives").isNotNull();
      return m;
    }
  }

  private static SipSettings.Builder settings() {
    int port = FreePorts.udpAndTcp();
    return SipSettings.builder(FreePorts.LOOPBACK).udp(port).tcp(port).t1(T1);
  }

  /** An endpoint for one test, closed after it. */
  private SipEndpoint startOwn(SipSettings settings, SipHandlers handlers) throws IOException {
    SipEndpoint endpoint = SipEndpoint.start(settings, handlers);
    perTest.add(endpoint);
    return endpoint;
  }

  private static int udpPort(SipEndpoint endpoint) {
    return endpoint.localAddress(SipTransport.UDP).getPort();
  }

  private static String uriOf(SipEndpoint endpoint, String params) {
    return "sip:bob@127.0.0.1:" + udpPort(endpoint) + params;
  }

  private static OutgoingMessage message(String requestUri, String body) {
    return OutgoingMessage.builder(requestUri, "sip:alice@gw.example", body).build();
  }

  private static String rawMessage(RawSip from, String requestUri, String type, String body) {
    return RawSip.request(
        "MESSAGE", requestUri, from.port(), "Content-Type: " + type + "\r\n", body);
  }

  private static SipResponseInfo await(CompletionStage<SipResponseInfo> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static SipSendException failure(CompletionStage<SipResponseInfo> stage) throws Exception {
    try {
      SipResponseInfo response = stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + response);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(SipSendException.class);
      return (SipSendException) e.getCause();
    }
  }
}
