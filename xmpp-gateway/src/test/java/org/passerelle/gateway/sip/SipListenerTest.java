package org.passerelle.gateway.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The endpoint's own listener for TCP (decision 17), seen from a hand-written peer on one
 * connection: requests are read whole however they are written, answered on the connection they
 * came on with the Via stamped as RFC 3261 §18.2.1 says, and broken input is answered or dropped
 * without disturbing what follows on the same connection.
 */
class SipListenerTest {
  private static final String DOMAIN = "gw.example";
  private static final InetAddress GATEWAY = address("127.0.0.185");
  private static final InetAddress SIP_SERVER = address("127.0.0.186");
  private static final InetAddress PEER = address("127.0.0.187");

  private record Held(IncomingMessage message, SipResponder responder, String thread) {}

  private final BlockingQueue<Held> held = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> subscribeThreads = new LinkedBlockingQueue<>();
  private SipEndpoint endpoint;
  private InetSocketAddress tcp;

  @BeforeEach
  void start() throws Exception {
    int port = FreePorts.udpAndTcp(GATEWAY);
    endpoint =
        SipEndpoint.start(
            SipSettings.builder(GATEWAY)
                .udp(port)
                .tcp(port)
                .domains(DOMAIN)
                .trustedSources(
                    new TrustedSources(Set.of(DOMAIN), List.of(AddressRange.parse("127.0.0.186"))))
                .build(),
            SipHandlers.builder()
                .message(
                    SipHandlers.TEXT_PLAIN,
                    (message, responder) ->
                        held.add(new Held(message, responder, Thread.currentThread().getName())))
                .subscriptions(
                    new SubscriptionHandler() {
                      @Override
                      public void onSubscribe(
                          IncomingSubscription subscription, SubscriptionResponder responder) {
                        subscribeThreads.add(Thread.currentThread().getName());
                        responder.reject(403, "Not here");
                      }

                      @Override
                      public void onEnded(SubscriptionId subscription, SubscriptionEnd end) {}
                    })
                .build());
    tcp = endpoint.localAddress(SipTransport.TCP);
  }

  @AfterEach
  void stop() {
    endpoint.close();
  }

  @Test
  void messageIsHandedOnWithItsSourceAndAnsweredOnItsConnection_rfc3261section18_2_2()
      throws Exception {
    try (RawSipStream peer = new RawSipStream(PEER, tcp)) {
      // The Via names another host, as behind a NAT, and asks for rport (RFC 3581).
      peer.send(
          message("Via: SIP/2.0/TCP 192.0.2.7:5099;rport;branch=z9hG4bK-nat1", "call-nat", "hi"));

      Held h = held.poll(5, TimeUnit.SECONDS);
      assertThat(h).isNotNull();
      assertThat(h.message().body()).isEqualTo("hi");
      assertThat(h.message().transport()).isEqualTo(SipTransport.TCP);
      assertThat(h.message().source().getAddress()).isEqualTo(PEER);
      h.responder().respond(202, "Accepted");

      RawSip.Received answer = peer.receive();
      assertThat(answer.startLine()).isEqualTo("SIP/2.0 202 Accepted");
      assertThat(answer.headers("Call-ID")).containsExactly("call-nat");
      assertThat(answer.param("Via", "received")).isEqualTo("127.0.0.187");
      assertThat(answer.param("Via", "rport"))
          .isEqualTo(peer.hostPort().substring(peer.hostPort().indexOf(':') + 1));
      assertThat(answer.param("To", "tag")).isNotBlank();
    }
  }

  @Test
  void aResponseJainSipBuildsIsStampedToo_rfc3261section18_2_1() throws Exception {
    try (RawSipStream peer = new RawSipStream(PEER, tcp)) {
      // OPTIONS's 200 carries Allow and Accept, so it is not written from the request's bytes.
      peer.send(
          request(
              "OPTIONS",
              "Via: SIP/2.0/TCP 192.0.2.7:5099;rport;branch=z9hG4bK-opt1",
              "c-o",
              "",
              ""));

      RawSip.Received answer = peer.receive();
      assertThat(answer.startLine()).isEqualTo("SIP/2.0 200 OK");
      assertThat(answer.headers("Allow")).isNotEmpty();
      assertThat(answer.param("Via", "received")).isEqualTo("127.0.0.187");
      assertThat(answer.param("Via", "rport"))
          .isEqualTo(peer.hostPort().substring(peer.hostPort().indexOf(':') + 1));
    }
  }

  @Test
  void requestsWrittenTogetherAreReadOneByOneAndAnsweredInOrder() throws Exception {
    try (RawSipStream peer = new RawSipStream(PEER, tcp)) {
      peer.send(
          message(via(peer, "a"), "call-a", "one")
              + message(via(peer, "b"), "call-b", "two")
              + message(via(peer, "c"), "call-c", "three"));

      for (String body : List.of("one", "two", "three")) {
        Held h = held.poll(5, TimeUnit.SECONDS);
        assertThat(h).isNotNull();
        assertThat(h.message().body()).isEqualTo(body);
        h.responder().respond(202, "Accepted");
      }

      assertThat(peer.receive().headers("Call-ID")).containsExactly("call-a");
      assertThat(peer.receive().headers("Call-ID")).containsExactly("call-b");
      assertThat(peer.receive().headers("Call-ID")).containsExactly("call-c");
    }
  }

  @Test
  void messageIsServedOnTheEventLoopAndSubscribeOnTheSipRequestsThread() throws Exception {
    try (RawSipStream peer = new RawSipStream(PEER, tcp)) {
      peer.send(message(via(peer, "m"), "call-m", "hello"));
      Held h = held.poll(5, TimeUnit.SECONDS);
      assertThat(h).isNotNull();
      h.responder().respond(202, "Accepted");
      peer.receive();

      peer.send(subscribe(via(peer, "s"), "call-s"));
      RawSip.Received answer = peer.receive();

      assertThat(answer.startLine()).isEqualTo("SIP/2.0 403 Not here");
      assertThat(h.thread()).startsWith("sip-stream");
      assertThat(subscribeThreads.poll(5, TimeUnit.SECONDS)).isEqualTo("sip-requests");
    }
  }

  @Test
  void unparseableRequestIsAnswered400AndTheConnectionGoesOnServing() throws Exception {
    try (RawSipStream peer = new RawSipStream(PEER, tcp)) {
      peer.send(
          message(via(peer, "bad"), "call-bad", "x")
              .replace("From: <sip:peer@remote.example>;tag=p1", "From: <<<sip:peer@@"));

      RawSip.Received answer = peer.receive();
      assertThat(answer.startLine()).startsWith("SIP/2.0 400 ");
      assertThat(answer.headers("Call-ID")).containsExactly("call-bad");
      assertThat(answer.param("To", "tag")).isNotBlank();
      assertThat(held).as("the application never saw it").isEmpty();

      peer.send(message(via(peer, "good"), "call-good", "after"));
      Held h = held.poll(5, TimeUnit.SECONDS);
      assertThat(h).isNotNull();
      assertThat(h.message().body()).isEqualTo("after");
    }
  }

  @Test
  void malformedOptionalHeaderIsLeftOutAndTheRequestServed() throws Exception {
    try (RawSipStream peer = new RawSipStream(PEER, tcp)) {
      peer.send(
          message(via(peer, "exp"), "call-exp", "still fine")
              .replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\nExpires: soon\r\n"));

      Held h = held.poll(5, TimeUnit.SECONDS);
      assertThat(h).isNotNull();
      assertThat(h.message().body()).isEqualTo("still fine");
    }
  }

  @Test
  void messageReadFromItsBytesHandsOnWhatJainSipWouldRead() throws Exception {
    try (RawSipStream peer = new RawSipStream(PEER, tcp)) {
      String body = "Grüße ✓";
      String request =
          request(
              "MESSAGE",
              via(peer, "raw"),
              "call-raw",
              "Content-Type: text/plain;charset=UTF-8\r\nSubject: Balcony\r\n"
                  + "Content-Language: en-GB\r\n",
              body);
      // request() counts characters; the body is longer in UTF-8.
      byte[] wire =
          request
              .replace(
                  "Content-Length: " + body.length(),
                  "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length)
              .getBytes(StandardCharsets.UTF_8);
      assertThat(RawMessage.read(wire)).as("read without JAIN-SIP").isPresent();
      peer.send(new String(wire, StandardCharsets.UTF_8));

      Held h = held.poll(5, TimeUnit.SECONDS);
      assertThat(h).isNotNull();
      assertThat(h.message().body()).isEqualTo(body);
      assertThat(h.message().requestUri()).isEqualTo("sip:bob@" + DOMAIN);
      assertThat(h.message().from()).isEqualTo("sip:peer@remote.example");
      assertThat(h.message().callId()).isEqualTo("call-raw");
      assertThat(h.message().subject()).contains("Balcony");
      assertThat(h.message().contentLanguage()).contains("en-GB");
      h.responder().respond(202, "Accepted");
      assertThat(peer.receive().startLine()).isEqualTo("SIP/2.0 202 Accepted");
    }
  }

  @Test
  void messageReadFromItsBytesStillGetsAFullResponse_rfc3261section21_4_13() throws Exception {
    try (RawSipStream peer = new RawSipStream(PEER, tcp)) {
      // 415 needs Accept, which only a response JAIN-SIP builds carries: the request is parsed.
      String request =
          request("MESSAGE", via(peer, "html"), "call-html", "Content-Type: text/html\r\n", "<b/>");
      assertThat(RawMessage.read(request.getBytes(StandardCharsets.UTF_8))).isPresent();
      peer.send(request);

      RawSip.Received answer = peer.receive();
      assertThat(answer.startLine()).startsWith("SIP/2.0 415 ");
      assertThat(answer.headers("Accept")).isNotEmpty();
      assertThat(answer.headers("Call-ID")).containsExactly("call-html");
      assertThat(held).as("the application never saw it").isEmpty();
    }
  }

  @Test
  void keepAlivePingIsAnsweredWithOneCrlf_rfc5626section4_4_1() throws Exception {
    try (RawSipStream peer = new RawSipStream(PEER, tcp)) {
      peer.send("\r\n\r\n");

      assertThat(peer.receiveBytes(2)).isEqualTo("\r\n");
    }
  }

  @Test
  void responseOnTheListenerIsDiscardedAndTheConnectionGoesOnServing() throws Exception {
    try (RawSipStream peer = new RawSipStream(PEER, tcp)) {
      peer.send(
          "SIP/2.0 200 OK\r\n"
              + via(peer, "stray")
              + "\r\n"
              + "From: <sip:a@gw.example>;tag=1\r\nTo: <sip:b@remote.example>;tag=2\r\n"
              + "Call-ID: stray\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n");
      peer.send(message(via(peer, "next"), "call-next", "next"));

      Held h = held.poll(5, TimeUnit.SECONDS);
      assertThat(h).isNotNull();
      assertThat(h.message().body()).isEqualTo("next");
    }
  }

  @Test
  void forgedLocalSenderOverTcpGets403_rfc3261section21_4_3() throws Exception {
    try (RawSipStream peer = new RawSipStream(PEER, tcp)) {
      peer.send(
          message(via(peer, "forged"), "call-forged", "pay now")
              .replace("sip:peer@remote.example", "sip:ceo@" + DOMAIN));

      assertThat(peer.receive().startLine()).startsWith("SIP/2.0 403 ");
      assertThat(held).isEmpty();
    }
    try (RawSipStream server = new RawSipStream(SIP_SERVER, tcp)) {
      server.send(
          message(via(server, "real"), "call-real", "from the server")
              .replace("sip:peer@remote.example", "sip:ceo@" + DOMAIN));

      Held h = held.poll(5, TimeUnit.SECONDS);
      assertThat(h).as("the SIP server speaks for local users").isNotNull();
    }
  }

  @Test
  void requestStillUnansweredWhenTheEndpointClosesIsAnswered503OnItsConnection() throws Exception {
    try (RawSipStream peer = new RawSipStream(PEER, tcp)) {
      peer.send(message(via(peer, "late"), "call-late", "being handled"));
      assertThat(held.poll(5, TimeUnit.SECONDS)).isNotNull();

      endpoint.close();

      RawSip.Received answer = peer.receive();
      assertThat(answer.startLine()).startsWith("SIP/2.0 503 ");
      assertThat(answer.headers("Retry-After")).hasSize(1);
      assertThat(peer.closedByPeer()).isTrue();
    }
  }

  private static String via(RawSipStream peer, String branch) {
    return "Via: SIP/2.0/TCP " + peer.hostPort() + ";branch=z9hG4bK-" + branch;
  }

  private static String message(String via, String callId, String body) {
    return request("MESSAGE", via, callId, "Content-Type: text/plain\r\n", body);
  }

  private static String subscribe(String via, String callId) {
    return request(
        "SUBSCRIBE",
        via,
        callId,
        "Contact: <sip:peer@127.0.0.187;transport=tcp>\r\nEvent: presence\r\nExpires: 600\r\n",
        "");
  }

  /** A request from the peer to bob, with what RFC 3261 §8.1.1 requires and {@code extra}. */
  private static String request(
      String method, String via, String callId, String extra, String body) {
    return method
        + " sip:bob@"
        + DOMAIN
        + " SIP/2.0\r\n"
        + via
        + "\r\n"
        + "Max-Forwards: 70\r\n"
        + "From: <sip:peer@remote.example>;tag=p1\r\n"
        + "To: <sip:bob@"
        + DOMAIN
        + ">\r\n"
        + "Call-ID: "
        + callId
        + "\r\n"
        + "CSeq: 1 "
        + method
        + "\r\n"
        + extra
        + "Content-Length: "
        + body.length()
        + "\r\n\r\n"
        + body;
  }

  private static InetAddress address(String a) {
    try {
      return InetAddress.getByName(a);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
