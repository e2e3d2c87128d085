package org.passerelle.testpeers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.passerelle.testpeers.sip.ReceivedRequest;
import org.passerelle.testpeers.sip.SipStatus;
import org.passerelle.testpeers.sip.SipTestClient;

/**
 * Kamailio as the organisation's SIP server, as the gateway's integration tests use it: users of
 * {@code sip.test} register and chat through it, and it hands everything for another domain to the
 * gateway (here a {@link SipTestClient} standing in for it).
 */
class KamailioPeerIT {

  private static final String DOMAIN = "sip.test";
  private static final String KAMAILIO_ADDRESS = "127.0.0.30";
  private static final String GATEWAY_ADDRESS = "127.0.0.31";
  private static final int GATEWAY_PORT = 5070;
  private static final Duration WAIT = Duration.ofSeconds(5);

  /** Short, so that the test of a user who stopped answering ends soon. */
  private static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(2);

  private static final String ALICE_PIDF =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:alice@sip.test">
        <tuple id="alice-1">
          <status><basic>open</basic></status>
          <note>at the test bench</note>
        </tuple>
      </presence>
      """;

  private static KamailioPeer kamailio;
  private static SipTestClient gateway;
  private static SipTestClient alice;
  private static SipTestClient bob;

  @BeforeAll
  static void startKamailioAndUsers() {
    kamailio =
        new KamailioPeer(
            KamailioConfig.builder(DOMAIN, KAMAILIO_ADDRESS)
                .gateway(SipHop.of(GATEWAY_ADDRESS, GATEWAY_PORT, SipTransport.TCP))
                .transactionTimeout(TRANSACTION_TIMEOUT)
                .build());
    kamailio.start();
    // Stands in for the gateway; its own address is that of a remote XMPP user.
    gateway =
        SipTestClient.builder("romeo", "xmpp.test", kamailio.sipAddress())
            .bind(GATEWAY_ADDRESS, GATEWAY_PORT)
            .transport(SipTransport.TCP)
            .build();
    alice = SipTestClient.builder("alice", kamailio).bind("127.0.0.32").build();
    bob =
        SipTestClient.builder("bob", kamailio)
            .bind("127.0.0.33")
            .transport(SipTransport.TCP)
            .build();
    alice.register(Duration.ofMinutes(5));
    bob.register(Duration.ofMinutes(5));
  }

  @AfterAll
  static void stopAll() {
    for (AutoCloseable closeable : new AutoCloseable[] {alice, bob, gateway, kamailio}) {
      if (closeable != null) {
        try {
          closeable.close();
        } catch (Exception e) {
          throw new IllegalStateException("cannot close " + closeable, e);
        }
      }
    }
  }

  @Test
  void registeredUsersExchangeUnicodeMessages() {
    String hello = "Grüße, ünïcödé 👋 — 你好";

    SipStatus sent = alice.sendMessage("sip:bob@sip.test", hello, Map.of("Subject", "Salut"));

    assertThat(sent.code()).as("%s", sent).isEqualTo(200);
    ReceivedRequest received = bob.awaitBody(hello, WAIT);
    assertThat(received.method()).isEqualTo("MESSAGE");
    assertThat(received.from()).isEqualTo("sip:alice@sip.test");
    assertThat(received.to()).isEqualTo("sip:bob@sip.test");
    assertThat(received.requestUri()).isEqualTo(bob.contactUri());
    assertThat(received.contentType()).isEqualToIgnoringCase("text/plain;charset=UTF-8");
    assertThat(received.subject()).contains("Salut");
    assertThat(received.callId()).isNotBlank();

    assertThat(bob.sendMessage("sip:alice@sip.test", "👍").code()).isEqualTo(200);
    assertThat(alice.awaitBody("👍", WAIT).from()).isEqualTo("sip:bob@sip.test");
  }

  /** RFC 3261 §18.1.1: over 1300 bytes, UDP is not used, by the client nor by Kamailio. */
  @ParameterizedTest
  @ValueSource(ints = {10 * 1024, 16 * 1024})
  void largeMessagesGoOverTcpToAUserRegisteredOverUdp(int size) {
    String body = "0123456789abcdef".repeat(size / 16);

    SipStatus sent = bob.sendMessage("sip:alice@sip.test", body);

    assertThat(sent.code()).as("%s", sent).isEqualTo(200);
    ReceivedRequest received = alice.awaitBody(body, WAIT);
    assertThat(received.body()).hasSize(size);
    assertThat(received.transport()).isEqualTo(SipTransport.TCP);
  }

  @Test
  void messageToAUserWhoIsNotRegisteredIs404() {
    SipStatus sent = alice.sendMessage("sip:nobody@sip.test", "anyone there?");

    assertThat(sent).isEqualTo(new SipStatus(404, "Not Found"));
  }

  @Test
  void messageToARegisteredTcpUserWhoseUserAgentIsGoneIs480AtOnce() {
    SipTestClient carol =
        SipTestClient.builder("carol", kamailio)
            .bind("127.0.0.34")
            .transport(SipTransport.TCP)
            .build();
    carol.register(Duration.ofMinutes(5));
    carol.crash();

    SipStatus sent = alice.sendMessage("sip:carol@sip.test", "hello?");

    assertThat(sent).isEqualTo(new SipStatus(480, "Temporarily Unavailable"));
  }

  @Test
  void messageToARegisteredUdpUserWhoDoesNotAnswerIs480AfterTheTransactionTimeout() {
    SipTestClient dave = SipTestClient.builder("dave", kamailio).bind("127.0.0.35").build();
    dave.register(Duration.ofMinutes(5));
    dave.crash();

    long begin = System.nanoTime();
    SipStatus sent = alice.sendMessage("sip:dave@sip.test", "hello?");

    assertThat(sent).isEqualTo(new SipStatus(480, "Temporarily Unavailable"));
    // From the timeout, not an immediate refusal. Kamailio's timers are coarse: on a loaded machine
    // its fr_timer of 2 s fired after 1.8 s, so the bound is half of it.
    assertThat(Duration.ofNanos(System.nanoTime() - begin))
        .isGreaterThanOrEqualTo(TRANSACTION_TIMEOUT.dividedBy(2));
  }

  @Test
  void userAgentErrorsReachTheSender() {
    try (SipTestClient erin = SipTestClient.builder("erin", kamailio).bind("127.0.0.36").build()) {
      erin.register(Duration.ofMinutes(5));
      erin.answerMessagesWith(486);

      SipStatus sent = alice.sendMessage("sip:erin@sip.test", "busy?");

      assertThat(sent).isEqualTo(new SipStatus(486, "Busy here"));
      assertThat(erin.awaitBody("busy?", WAIT).from()).isEqualTo("sip:alice@sip.test");
    }
  }

  /** RFC 7247 §5: the SIP server routes requests for XMPP users to the gateway. */
  @Test
  void messageForAnotherDomainIsForwardedUnchangedToTheGatewayOverTcp() {
    SipStatus sent = alice.sendMessage("sip:juliet@xmpp.test", "wherefore art thou");

    assertThat(sent.code()).as("%s", sent).isEqualTo(200);
    ReceivedRequest received = gateway.awaitBody("wherefore art thou", WAIT);
    assertThat(received.requestUri()).isEqualTo("sip:juliet@xmpp.test");
    assertThat(received.to()).isEqualTo("sip:juliet@xmpp.test");
    assertThat(received.from()).isEqualTo("sip:alice@sip.test");
    assertThat(received.transport()).isEqualTo(SipTransport.TCP);
    assertThat(received.headerValues("via"))
        .hasSize(2)
        .first()
        .asString()
        .contains(KAMAILIO_ADDRESS);
    assertThat(received.header("route")).isEmpty();
    assertThat(received.header("record-route")).isEmpty();
    kamailio.awaitLogLine(KamailioConfigFile.TO_GATEWAY_LOG, WAIT);
  }

  @Test
  void gatewayAnswersReachTheSender() {
    gateway.answerMessagesWith(404);
    try {
      SipStatus sent = alice.sendMessage("sip:nobody@xmpp.test", "hello?");

      assertThat(sent.code()).as("%s", sent).isEqualTo(404);
    } finally {
      gateway.answerMessagesWith(200);
    }
  }

  @Test
  void messageFromTheGatewayReachesTheRegisteredUser() {
    SipStatus sent = gateway.sendMessage("sip:alice@sip.test", "it is the east");

    assertThat(sent.code()).as("%s", sent).isEqualTo(200);
    ReceivedRequest received = alice.awaitBody("it is the east", WAIT);
    assertThat(received.from()).isEqualTo("sip:romeo@xmpp.test");
    assertThat(received.to()).isEqualTo("sip:alice@sip.test");
  }

  @Test
  void requestFromTheGatewayForAnotherDomainIsALoop() {
    SipStatus sent = gateway.sendMessage("sip:mercutio@xmpp.test", "back to you");

    assertThat(sent).isEqualTo(new SipStatus(482, "Loop Detected"));
  }

  /** The presence issue builds on this: a SIP user watching an XMPP user. */
  @Test
  void subscribeForAnotherDomainIsForwardedToTheGatewayAndRecordRouted() {
    SipStatus answer = alice.subscribe("sip:juliet@xmpp.test", Duration.ofMinutes(10));

    // The stand-in answers 405; the real gateway will accept.
    assertThat(answer.code()).as("%s", answer).isEqualTo(405);
    ReceivedRequest subscribe =
        gateway.awaitOtherRequest(r -> r.to().equals("sip:juliet@xmpp.test"), WAIT);
    assertThat(subscribe.method()).isEqualTo("SUBSCRIBE");
    assertThat(subscribe.requestUri()).isEqualTo("sip:juliet@xmpp.test");
    assertThat(subscribe.event()).isEqualTo("presence");
    assertThat(subscribe.headerValues("record-route"))
        .isNotEmpty()
        .allMatch(rr -> rr.contains(KAMAILIO_ADDRESS));
  }

  @Test
  void registerForAnotherDomainIsRefused() {
    try (SipTestClient stranger =
        SipTestClient.builder("stranger", "elsewhere.test", kamailio.sipAddress())
            .bind("127.0.0.37")
            .build()) {
      assertThatThrownBy(() -> stranger.register(Duration.ofMinutes(1)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("403");
    }
  }

  /** RFC 3903 and RFC 3856 against Kamailio's presence server, with no XCAP rules. */
  @Test
  void publishedPresenceReachesASubscriberUntilItUnsubscribes() {
    SipStatus published = alice.publish(ALICE_PIDF);
    assertThat(published.code()).as("%s", published).isEqualTo(200);

    SipStatus subscribed = bob.subscribe("sip:alice@sip.test", Duration.ofMinutes(10));

    assertThat(subscribed.code()).as("%s", subscribed).isBetween(200, 202);
    ReceivedRequest notify = bob.awaitNotify(n -> n.from().equals("sip:alice@sip.test"), WAIT);
    assertThat(notify.event()).isEqualTo("presence");
    assertThat(notify.subscriptionState()).isEqualTo("active");
    assertThat(notify.contentType()).isEqualTo("application/pidf+xml");
    assertThat(notify.body()).contains("<basic>open</basic>").contains("at the test bench");

    assertThat(bob.unsubscribe("sip:alice@sip.test").code()).isEqualTo(200);
    assertThat(bob.awaitNotify(n -> n.subscriptionState().equals("terminated"), WAIT).from())
        .isEqualTo("sip:alice@sip.test");
  }

  /** And an XMPP user watching a SIP user: the gateway subscribes to Kamailio's presence server. */
  @Test
  void gatewaySubscribesToTheLocalPresenceServer() {
    assertThat(alice.publish(ALICE_PIDF).code()).isEqualTo(200);

    SipStatus subscribed = gateway.subscribe("sip:alice@sip.test", Duration.ofMinutes(10));

    assertThat(subscribed.code()).as("%s", subscribed).isBetween(200, 202);
    ReceivedRequest notify =
        gateway.awaitNotify(
            n -> n.from().equals("sip:alice@sip.test") && n.body().contains("at the test bench"),
            WAIT);
    assertThat(notify.to()).isEqualTo("sip:romeo@xmpp.test");
    assertThat(notify.subscriptionState()).isEqualTo("active");
    assertThat(notify.transport()).isEqualTo(SipTransport.TCP);
    assertThat(gateway.unsubscribe("sip:alice@sip.test").code()).isEqualTo(200);
  }
}
