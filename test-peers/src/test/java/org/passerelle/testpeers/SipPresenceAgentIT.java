package org.passerelle.testpeers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.passerelle.testpeers.sip.IncomingSubscription;
import org.passerelle.testpeers.sip.PendingSubscribe;
import org.passerelle.testpeers.sip.ReceivedRequest;
import org.passerelle.testpeers.sip.SipStatus;
import org.passerelle.testpeers.sip.SipTestClient;

/**
 * A SIP user agent that is its own presence agent behind Kamailio (RFC 3856 §3, RFC 8048 §4):
 * Kamailio sends SUBSCRIBEs for Alice to her contact and stays on the dialog's path, so that Bob's
 * subscription, her NOTIFYs and his refreshes all pass it (RFC 6665). Carol's presence stays with
 * Kamailio's presence server.
 */
class SipPresenceAgentIT {

  private static final String DOMAIN = "sip.test";
  private static final String KAMAILIO_ADDRESS = "127.0.0.71";
  private static final Duration WAIT = Duration.ofSeconds(5);

  private static final String ALICE = "sip:alice@sip.test";
  private static final String BOB = "sip:bob@sip.test";
  private static final String CAROL = "sip:carol@sip.test";
  private static final String ERIN = "sip:erin@sip.test";

  /** Listed, but its user agent is an ordinary client, which refuses SUBSCRIBEs. */
  private static final String DAVE = "sip:dave@sip.test";

  /** Listed, never registered. */
  private static final String FRANK = "sip:frank@sip.test";

  private static final String ALICE_PIDF = pidf(ALICE, "open", "at the bench");
  private static final String CAROL_PIDF = pidf(CAROL, "closed", "gone home");

  private static KamailioPeer kamailio;
  private static SipTestClient alice;
  private static SipTestClient bob;
  private static SipTestClient carol;
  private static SipTestClient dave;

  /** Subscribes over TCP, as the gateway does: Kamailio then record-routes twice. */
  private static SipTestClient erin;

  @BeforeAll
  static void startKamailioAndUsers() {
    kamailio =
        new KamailioPeer(
            KamailioConfig.builder(DOMAIN, KAMAILIO_ADDRESS)
                .userAgentPresence("alice", "dave", "frank")
                .build());
    kamailio.start();
    alice = SipTestClient.builder("alice", kamailio).bind("127.0.0.72").presenceAgent(true).build();
    bob = SipTestClient.builder("bob", kamailio).bind("127.0.0.73").build();
    carol = SipTestClient.builder("carol", kamailio).bind("127.0.0.74").build();
    dave = SipTestClient.builder("dave", kamailio).bind("127.0.0.76").build();
    erin =
        SipTestClient.builder("erin", kamailio)
            .bind("127.0.0.75")
            .transport(SipTransport.TCP)
            .build();
    for (SipTestClient user : new SipTestClient[] {alice, bob, carol, dave, erin}) {
      user.register(Duration.ofMinutes(10));
    }
  }

  @AfterAll
  static void stopAll() {
    // Subscribers first: their leftover subscriptions end while Alice still answers.
    for (AutoCloseable closeable : new AutoCloseable[] {bob, erin, alice, carol, dave, kamailio}) {
      if (closeable != null) {
        try {
          closeable.close();
        } catch (Exception e) {
          throw new IllegalStateException("cannot close " + closeable, e);
        }
      }
    }
  }

  /** RFC 6665 §4.2.1.1, §4.2.2, §4.1.2.2, §4.2.1.3, all through Kamailio, over UDP or TCP. */
  @ParameterizedTest
  @ValueSource(strings = {BOB, ERIN})
  void agentAcceptsNotifiesPendingThenActiveAndSeesTheRefreshAndTheUnsubscribe(String watcherUri) {
    SipTestClient subscriber = watcherUri.equals(BOB) ? bob : erin;
    CompletableFuture<SipStatus> subscribing =
        inBackground(() -> subscriber.subscribe(ALICE, Duration.ofMinutes(10)));

    IncomingSubscription watcher = alice.awaitSubscribe(s -> s.from().equals(watcherUri), WAIT);
    assertThat(watcher.request().requestUri()).isEqualTo(alice.contactUri());
    assertThat(watcher.request().event()).isEqualTo("presence");
    // One Record-Route, or two when the subscriber's transport is not Alice's (UDP).
    assertThat(watcher.request().headerValues("record-route"))
        .hasSize(subscriber == bob ? 1 : 2)
        .allSatisfy(rr -> assertThat(rr).contains(KAMAILIO_ADDRESS).contains(";lr"));
    watcher.answer(200);
    assertThat(subscribing.join().code()).isEqualTo(200);

    assertThat(watcher.notify("pending", Optional.empty()).code()).isEqualTo(200);
    assertThat(watcher.notify("active;expires=600", Optional.of(ALICE_PIDF)).code()).isEqualTo(200);

    Predicate<ReceivedRequest> inDialog = n -> n.callId().equals(watcher.request().callId());
    ReceivedRequest pending = subscriber.awaitNotify(inDialog, WAIT);
    ReceivedRequest active = subscriber.awaitNotify(inDialog, WAIT);
    assertThat(pending.subscriptionState()).isEqualTo("pending");
    assertThat(pending.body()).isEmpty();
    assertThat(active.subscriptionState()).isEqualTo("active");
    assertThat(active.header("subscription-state"))
        .hasValueSatisfying(s -> assertThat(s).contains("expires=600"));
    assertThat(active.contentType()).isEqualTo("application/pidf+xml");
    assertThat(active.body()).contains("<basic>open</basic>").contains("at the bench");
    for (ReceivedRequest notify : new ReceivedRequest[] {pending, active}) {
      assertThat(notify.from()).isEqualTo(ALICE);
      assertThat(notify.event()).isEqualTo("presence");
      assertThat(notify.headerValues("via"))
          .hasSize(2)
          .first()
          .asString()
          .contains(KAMAILIO_ADDRESS);
      assertThat(notify.transport())
          .isEqualTo(subscriber == bob ? SipTransport.UDP : SipTransport.TCP);
    }

    CompletableFuture<SipStatus> refreshing =
        inBackground(() -> subscriber.refresh(ALICE, Duration.ofMinutes(5)));
    PendingSubscribe refresh = watcher.awaitSubscribe(s -> true, WAIT);
    assertThat(refresh.expires()).isEqualTo(Duration.ofMinutes(5));
    assertThat(refresh.request().headerValues("via"))
        .hasSize(2)
        .first()
        .asString()
        .contains(KAMAILIO_ADDRESS);
    refresh.answer(200);
    assertThat(refreshing.join().code()).isEqualTo(200);

    CompletableFuture<SipStatus> ending = inBackground(() -> subscriber.unsubscribe(ALICE));
    PendingSubscribe unsubscribe = watcher.awaitSubscribe(s -> true, WAIT);
    assertThat(unsubscribe.expires()).isZero();
    unsubscribe.answer(200);
    assertThat(ending.join().code()).isEqualTo(200);
    assertThat(watcher.notify("terminated;reason=timeout", Optional.empty()).code()).isEqualTo(200);
    assertThat(subscriber.awaitNotify(inDialog, WAIT).subscriptionState()).isEqualTo("terminated");
  }

  /** RFC 6665 §4.2.1.1: a refusal reaches the subscriber unchanged. */
  @Test
  void agentRefusalReachesTheSubscriber() {
    CompletableFuture<SipStatus> subscribing =
        inBackground(() -> bob.subscribe(ALICE, Duration.ofMinutes(10)));

    alice.awaitSubscribe(s -> s.from().equals(BOB), WAIT).answer(403);

    assertThat(subscribing.join()).isEqualTo(new SipStatus(403, "Forbidden"));
  }

  /** RFC 6665 §4.2.2 and RFC 3856 §6.6: accepted, then refused by a terminated NOTIFY. */
  @Test
  void agentRejectionAfterAcceptingReachesTheSubscriberAsATerminatedNotify() {
    CompletableFuture<SipStatus> subscribing =
        inBackground(() -> bob.subscribe(ALICE, Duration.ofMinutes(10)));
    IncomingSubscription watcher = alice.awaitSubscribe(s -> s.from().equals(BOB), WAIT);
    watcher.answer(202);
    assertThat(subscribing.join().code()).isEqualTo(202);

    SipStatus notified = watcher.notify("terminated;reason=rejected", Optional.empty());

    assertThat(notified.code()).isEqualTo(200);
    ReceivedRequest rejected =
        bob.awaitNotify(n -> n.callId().equals(watcher.request().callId()), WAIT);
    assertThat(rejected.subscriptionState()).isEqualTo("terminated");
    assertThat(rejected.header("subscription-state"))
        .hasValueSatisfying(s -> assertThat(s).contains("reason=rejected"));
  }

  @Test
  void subscribeToAListedUserWhoIsNotRegisteredIs404() {
    assertThat(bob.subscribe(FRANK, Duration.ofMinutes(10)))
        .isEqualTo(new SipStatus(404, "Not Found"));
  }

  /** A client not built as a presence agent keeps refusing SUBSCRIBEs, as before. */
  @Test
  void subscribeToAListedUserWhoseClientIsNoPresenceAgentIs405() {
    SipStatus refused = bob.subscribe(DAVE, Duration.ofMinutes(10));

    assertThat(refused.code()).as("%s", refused).isEqualTo(405);
    assertThat(dave.awaitOtherRequest(r -> r.from().equals(BOB), WAIT).method())
        .isEqualTo("SUBSCRIBE");
  }

  /** RFC 3903 and RFC 3856 against Kamailio's presence server, as before. */
  @Test
  void usersNotListedStillHaveKamailiosPresenceServer() {
    assertThat(carol.publish(CAROL_PIDF).code()).isEqualTo(200);

    SipStatus subscribed = bob.subscribe(CAROL, Duration.ofMinutes(10));

    assertThat(subscribed.code()).as("%s", subscribed).isBetween(200, 202);
    ReceivedRequest notify =
        bob.awaitNotify(n -> n.from().equals(CAROL) && n.body().contains("gone home"), WAIT);
    assertThat(notify.subscriptionState()).isEqualTo("active");
    assertThat(notify.body()).contains("<basic>closed</basic>");
    assertThat(bob.unsubscribe(CAROL).code()).isEqualTo(200);
  }

  /** A request that blocks until its final response, which the test itself brings about. */
  private static CompletableFuture<SipStatus> inBackground(Supplier<SipStatus> request) {
    return CompletableFuture.supplyAsync(request);
  }

  private static String pidf(String entity, String basic, String note) {
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <presence xmlns="urn:ietf:params:xml:ns:pidf" entity="%s">
          <tuple id="t1"><status><basic>%s</basic></status><note>%s</note></tuple>
        </presence>
        """
        .formatted(entity, basic, note);
  }
}
