package org.passerelle.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.passerelle.gateway.sip.IncomingSubscription;
import org.passerelle.gateway.sip.Notification;
import org.passerelle.gateway.sip.NotificationListener;
import org.passerelle.gateway.sip.OutgoingNotification;
import org.passerelle.gateway.sip.SipEndpoint;
import org.passerelle.gateway.sip.SipHandlers;
import org.passerelle.gateway.sip.SipServerAddress;
import org.passerelle.gateway.sip.SipSettings;
import org.passerelle.gateway.sip.SubscribeOutcome;
import org.passerelle.gateway.sip.SubscribeRequest;
import org.passerelle.gateway.sip.SubscriptionEnd;
import org.passerelle.gateway.sip.SubscriptionHandler;
import org.passerelle.gateway.sip.SubscriptionId;
import org.passerelle.gateway.sip.SubscriptionResponder;
import org.passerelle.gateway.sip.SubscriptionState;
import org.passerelle.gateway.sip.TerminationReason;
import org.passerelle.testpeers.KamailioConfig;
import org.passerelle.testpeers.KamailioPeer;
import org.passerelle.testpeers.SipHop;
import org.passerelle.testpeers.SipTransport;
import org.passerelle.testpeers.sip.ReceivedRequest;
import org.passerelle.testpeers.sip.SipStatus;
import org.passerelle.testpeers.sip.SipTestClient;

/**
 * The gateway's SIP endpoint in both subscription roles against Kamailio's presence server (RFC
 * 6665, RFC 3856): it watches Alice, who publishes her presence at Kamailio (RFC 8048 §5.2), and
 * Bob watches Juliet, an XMPP user, through Kamailio and the gateway (RFC 8048 §5.3).
 */
@Tag("real-peers") // its name matches the unit tests' -Dtest='Sip*' too
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SipPresenceKamailioIT {

  private static final String ORG = "sip.test";
  private static final String KAMAILIO = "127.0.0.60";
  private static final String GATEWAY = "127.0.0.61";
  private static final String ALICE_HOST = "127.0.0.62";
  private static final String BOB_HOST = "127.0.0.63";
  private static final int GATEWAY_PORT = 5070;
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static final String ALICE = "sip:alice@sip.test";
  private static final String ROMEO = "sip:romeo@xmpp.test";
  private static final String JULIET = "sip:juliet@xmpp.test";

  private static final String ALICE_AT_BENCH = alicePidf("open", "at the test bench");
  private static final String ALICE_AT_LUNCH = alicePidf("closed", "gone for lunch — ✓");

  private static final String JULIET_PIDF =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <presence xmlns="urn:ietf:params:xml:ns:pidf" entity="pres:juliet@xmpp.test">
        <tuple id="ID-balcony"><status><basic>open</basic></status><note>on the balcony</note></tuple>
      </presence>
      """;

  private static final String JULIET_AWAY =
      JULIET_PIDF.replace("on the balcony", "asleep").replace(">open<", ">closed<");

  private final Watcher watcher = new Watcher();
  private final Juliet juliet = new Juliet();
  private KamailioPeer kamailio;
  private SipEndpoint gateway;
  private SipTestClient alice;
  private SipTestClient bob;

  @BeforeAll
  void start() throws Exception {
    kamailio =
        new KamailioPeer(
            KamailioConfig.builder(ORG, KAMAILIO)
                .gateway(SipHop.of(GATEWAY, GATEWAY_PORT, SipTransport.TCP))
                .build());
    kamailio.start();
    gateway =
        SipEndpoint.start(
            SipSettings.builder(InetAddress.getByName(GATEWAY))
                .udp(GATEWAY_PORT)
                .tcp(GATEWAY_PORT)
                .outboundProxy(SipServerAddress.parse(KAMAILIO + ":5060;transport=tcp"))
                .domains("xmpp.test")
                .build(),
            SipHandlers.builder().subscriptions(juliet).notifications(watcher).build());
    alice = SipTestClient.builder("alice", kamailio).bind(ALICE_HOST).build();
    bob = SipTestClient.builder("bob", kamailio).bind(BOB_HOST).build();
    bob.register(Duration.ofMinutes(10));
  }

  @AfterAll
  void stop() {
    for (AutoCloseable part : new AutoCloseable[] {alice, bob, gateway, kamailio}) {
      if (part != null) {
        try {
          part.close();
        } catch (Exception e) {
          // keep closing the rest
        }
      }
    }
  }

  /** RFC 8048 §5.2: the gateway watches a SIP user for an XMPP contact. */
  @Test
  void gatewayWatchesAlicesPublishedPresenceThroughKamailio() throws Exception {
    assertThat(alice.publish(ALICE_AT_BENCH).code()).isEqualTo(200);

    SubscribeOutcome outcome =
        await(
            gateway
                .subscriptions()
                .subscribe(
                    SubscribeRequest.presence(ALICE, ROMEO).withExpires(Duration.ofMinutes(10))));

    assertThat(outcome.isSuccess()).as("%s", outcome).isTrue();
    assertThat(outcome.alive()).isTrue();
    Notification first = watcher.awaitBody(outcome.id(), "at the test bench");
    assertThat(first.state()).isEqualTo(SubscriptionState.ACTIVE);
    assertThat(first.contentType()).isEqualTo("application/pidf+xml");
    assertThat(first.presentity()).isEqualTo(ALICE);
    assertThat(first.watcher()).isEqualTo(ROMEO);

    assertThat(alice.publish(ALICE_AT_LUNCH).code()).isEqualTo(200);
    Notification changed = watcher.awaitBody(outcome.id(), "gone for lunch — ✓");
    assertThat(changed.body()).contains("<basic>closed</basic>");

    SubscribeOutcome refreshed =
        await(gateway.subscriptions().refresh(outcome.id(), Duration.ofMinutes(5)));
    assertThat(refreshed.isSuccess()).as("%s", refreshed).isTrue();
    assertThat(refreshed.alive()).isTrue();

    SubscribeOutcome ended = await(gateway.subscriptions().unsubscribe(outcome.id()));
    assertThat(ended.isSuccess()).as("%s", ended).isTrue();
    assertThat(watcher.awaitState(outcome.id(), SubscriptionState.TERMINATED).state())
        .isEqualTo(SubscriptionState.TERMINATED);
  }

  /** RFC 8048 §7.1: an XMPP probe becomes a one-time fetch. */
  @Test
  void gatewayFetchesAlicesPresenceOnce() throws Exception {
    assertThat(alice.publish(ALICE_AT_BENCH).code()).isEqualTo(200);

    SubscribeOutcome outcome =
        await(gateway.subscriptions().fetch(SubscribeRequest.presence(ALICE, ROMEO)));

    assertThat(outcome.isSuccess()).as("%s", outcome).isTrue();
    assertThat(outcome.alive()).isFalse();
    Notification only = watcher.awaitState(outcome.id(), SubscriptionState.TERMINATED);
    assertThat(only.body()).contains("at the test bench");
  }

  /** RFC 8048 §5.3: a SIP user watches an XMPP user through Kamailio and the gateway. */
  @Test
  void sipUserWatchingAnXmppUserGetsTheImmediateNotifyAlongTheRecordRoute() throws Exception {
    SipStatus subscribed = bob.subscribe(JULIET, Duration.ofMinutes(10));

    assertThat(subscribed.code()).as("%s", subscribed).isEqualTo(200);
    IncomingSubscription incoming = juliet.next();
    assertThat(incoming.kind()).isEqualTo(IncomingSubscription.Kind.NEW);
    assertThat(incoming.watcher()).isEqualTo("sip:bob@sip.test");
    assertThat(incoming.presentity()).isEqualTo(JULIET);
    ReceivedRequest immediate = bob.awaitNotify(n -> n.body().contains("on the balcony"), WAIT);
    assertThat(immediate.subscriptionState()).isEqualTo("active");
    assertThat(immediate.from()).isEqualTo(JULIET);
    // Through Kamailio: its Via on top, the gateway's below.
    assertThat(immediate.headerValues("via")).hasSize(2);
    assertThat(immediate.headerValues("via").get(0)).contains(KAMAILIO);
    assertThat(immediate.headerValues("via").get(1)).contains(GATEWAY);
    // Bob -> Kamailio over UDP, Kamailio -> gateway over TCP: Kamailio record-routes twice.
    assertThat(gateway.notifier().dialogState(incoming.id()).orElseThrow().routeSet())
        .hasSize(2)
        .allMatch(route -> route.contains(KAMAILIO));

    assertThat(
            await(
                    gateway
                        .notifier()
                        .notify(
                            incoming.id(),
                            OutgoingNotification.active(SubscribeRequest.PIDF, JULIET_AWAY)))
                .statusCode())
        .isEqualTo(200);
    assertThat(bob.awaitNotify(n -> n.body().contains("asleep"), WAIT).subscriptionState())
        .isEqualTo("active");

    assertThat(bob.unsubscribe(JULIET).code()).isEqualTo(200);
    assertThat(juliet.next().kind()).isEqualTo(IncomingSubscription.Kind.UNSUBSCRIBE);
    assertThat(bob.awaitNotify(n -> n.subscriptionState().equals("terminated"), WAIT).from())
        .isEqualTo(JULIET);
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private static String alicePidf(String basic, String note) {
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:alice@sip.test">
          <tuple id="alice-1">
            <status><basic>%s</basic></status>
            <note>%s</note>
          </tuple>
        </presence>
        """
        .formatted(basic, note);
  }

  /** Juliet's side of the gateway: accepts everyone, with her PIDF. */
  private static final class Juliet implements SubscriptionHandler {
    final BlockingQueue<IncomingSubscription> received = new LinkedBlockingQueue<>();

    @Override
    public void onSubscribe(IncomingSubscription s, SubscriptionResponder responder) {
      received.add(s);
      switch (s.kind()) {
        case NEW, REFRESH ->
            responder.accept(
                s.expires(), OutgoingNotification.active(SubscribeRequest.PIDF, JULIET_PIDF));
        case UNSUBSCRIBE, POLL ->
            responder.accept(
                Duration.ZERO, OutgoingNotification.terminated(TerminationReason.TIMEOUT));
      }
    }

    @Override
    public void onEnded(SubscriptionId subscription, SubscriptionEnd end) {}

    IncomingSubscription next() throws InterruptedException {
      IncomingSubscription s = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(s).as("a SUBSCRIBE reaches the gateway").isNotNull();
      return s;
    }
  }

  /** Romeo's side of the gateway: keeps the NOTIFYs. */
  private static final class Watcher implements NotificationListener {
    final BlockingQueue<Notification> notifications = new LinkedBlockingQueue<>();

    @Override
    public void onNotification(Notification notification) {
      notifications.add(notification);
    }

    @Override
    public void onEnded(SubscriptionId subscription, SubscriptionEnd end) {}

    Notification awaitBody(SubscriptionId id, String fragment) throws InterruptedException {
      return await(id, n -> n.body().contains(fragment), "a NOTIFY containing " + fragment);
    }

    Notification awaitState(SubscriptionId id, SubscriptionState state)
        throws InterruptedException {
      return await(id, n -> n.state() == state, "a NOTIFY " + state);
    }

    private Notification await(
        SubscriptionId id, java.util.function.Predicate<Notification> match, String what)
        throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        Notification n = notifications.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (n != null && n.subscription().equals(id) && match.test(n)) {
          return n;
        }
      }
      throw new AssertionError(what + " for " + id);
    }
  }
}
