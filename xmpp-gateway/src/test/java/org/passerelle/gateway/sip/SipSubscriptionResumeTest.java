package org.passerelle.gateway.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The notifier role over a restart ({@link SubscriptionNotifier#resume}): a subscriber endpoint
 * keeps its subscription while the notifier endpoint, its outbound proxy, is closed and started
 * again on the same address and port, and resumes the dialog its application saved. Addresses
 * 127.0.0.120–.121.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SipSubscriptionResumeTest {

  /** Short, so that transactions to a closed endpoint give up quickly. */
  private static final Duration T1 = Duration.ofMillis(20);

  private static final InetAddress SUBSCRIBER_HOST = address("127.0.0.120");
  private static final InetAddress NOTIFIER_HOST = address("127.0.0.121");

  private static final String JULIET = "sip:juliet@xmpp.test";
  private static final String ROMEO = "sip:romeo@gw.example";

  private static final String PIDF =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <presence xmlns="urn:ietf:params:xml:ns:pidf" entity="pres:juliet@xmpp.test">
        <tuple id="ID-balcony"><status><basic>open</basic></status></tuple>
      </presence>
      """;

  private final Presence presence = new Presence();
  private final Watcher watcher = new Watcher();

  /** Where every notifier of this class listens, restarted or not. */
  private int notifierPort;

  /** Serves xmpp.test; SUBSCRIBEs go to {@link #presence}. Started for each test. */
  private SipEndpoint notifier;

  /** Subscribes through {@link #notifier} as its outbound proxy; NOTIFYs go to {@link #watcher}. */
  private SipEndpoint subscriber;

  @BeforeAll
  void startSubscriber() throws IOException {
    notifierPort = FreePorts.udpAndTcp(NOTIFIER_HOST);
    int port = FreePorts.udpAndTcp(SUBSCRIBER_HOST);
    subscriber =
        SipEndpoint.start(
            SipSettings.builder(SUBSCRIBER_HOST)
                .udp(port)
                .tcp(port)
                .t1(T1)
                .domains("gw.example")
                .outboundProxy(
                    SipServerAddress.parse(NOTIFIER_HOST.getHostAddress() + ":" + notifierPort))
                .build(),
            SipHandlers.builder().notifications(watcher).build());
  }

  @AfterAll
  void stopSubscriber() {
    subscriber.close();
  }

  @BeforeEach
  void startNotifier() throws IOException {
    presence.reset();
    watcher.reset();
    notifier = newNotifier();
  }

  @AfterEach
  void stopNotifier() {
    notifier.close();
  }

  // ---- the dialog goes on ----

  @Test
  void resumedSubscriptionNotifiesInTheSubscribersExistingDialog_rfc3261section12_2_1_1()
      throws Exception {
    Accepted s = accepted();
    DialogState saved = presence.saved(s.notifierId());

    restartNotifier();
    SubscriptionId resumed = notifier.notifier().resume(saved, Duration.ofSeconds(300));
    SipResponseInfo response =
        await(
            notifier
                .notifier()
                .notify(resumed, OutgoingNotification.active(SubscribeRequest.PIDF, PIDF)));

    assertThat(resumed).isEqualTo(s.notifierId());
    assertThat(response.statusCode()).isEqualTo(200);
    Notification active = watcher.next(s.id());
    assertThat(active.state()).isEqualTo(SubscriptionState.ACTIVE);
    assertThat(active.body()).isEqualTo(PIDF);
    assertThat(active.expires().orElseThrow())
        .isLessThanOrEqualTo(Duration.ofSeconds(300))
        .isGreaterThan(Duration.ofSeconds(290));
    DialogState now = notifier.notifier().dialogState(resumed).orElseThrow();
    assertThat(now).usingRecursiveComparison().ignoringFields("localCseq").isEqualTo(saved);
  }

  @Test
  void notifyAfterResumeHasACseqAboveThoseSentBeforeTheRestart_rfc3261section12_2_1_1()
      throws Exception {
    Accepted s = accepted();
    DialogState saved = presence.saved(s.notifierId());
    // Sent after the last save, as between two refreshes: their CSeqs are in no saved state.
    for (int i = 0; i < 3; i++) {
      assertThat(
              await(notifier.notifier().notify(s.notifierId(), OutgoingNotification.active()))
                  .statusCode())
          .isEqualTo(200);
      assertThat(watcher.next(s.id()).state()).isEqualTo(SubscriptionState.ACTIVE);
    }

    restartNotifier();
    notifier.notifier().resume(saved, Duration.ofSeconds(300));
    SipResponseInfo response =
        await(notifier.notifier().notify(s.notifierId(), OutgoingNotification.active()));

    // The subscriber answers 500 to a CSeq below the last one (RFC 3261 §12.2.2).
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(watcher.next(s.id()).state()).isEqualTo(SubscriptionState.ACTIVE);
    assertThat(notifier.notifier().dialogState(s.notifierId()).orElseThrow().localCseq())
        .isEqualTo(saved.localCseq() + SubscriptionNotifier.RESUME_CSEQ_GAP + 1);
  }

  @Test
  void refreshAfterResumeReachesTheHandlerAsRefreshAndIsAnswered_rfc6665section4_2_1_2()
      throws Exception {
    Accepted s = accepted();
    restartNotifier();
    notifier.notifier().resume(presence.saved(s.notifierId()), Duration.ofSeconds(300));

    SubscribeOutcome refreshed =
        await(subscriber.subscriptions().refresh(s.id(), Duration.ofSeconds(120)));

    assertThat(refreshed.response().statusCode()).isEqualTo(200);
    assertThat(refreshed.alive()).isTrue();
    assertThat(refreshed.expires()).contains(Duration.ofSeconds(120));
    IncomingSubscription refresh = presence.next();
    assertThat(refresh.kind()).isEqualTo(IncomingSubscription.Kind.REFRESH);
    assertThat(refresh.id()).isEqualTo(s.notifierId());
    Notification notified = watcher.next(s.id());
    assertThat(notified.state()).isEqualTo(SubscriptionState.ACTIVE);
    assertThat(notified.expires().orElseThrow())
        .isLessThanOrEqualTo(Duration.ofSeconds(120))
        .isGreaterThan(Duration.ofSeconds(110));
  }

  @Test
  void unsubscribeAfterResumeReachesTheHandlerAndEndsTheSubscription_rfc6665section4_2_1_3()
      throws Exception {
    Accepted s = accepted();
    restartNotifier();
    notifier.notifier().resume(presence.saved(s.notifierId()), Duration.ofSeconds(300));

    SubscribeOutcome outcome = await(subscriber.subscriptions().unsubscribe(s.id()));

    assertThat(outcome.response().statusCode()).isEqualTo(200);
    IncomingSubscription unsubscribe = presence.next();
    assertThat(unsubscribe.kind()).isEqualTo(IncomingSubscription.Kind.UNSUBSCRIBE);
    assertThat(unsubscribe.id()).isEqualTo(s.notifierId());
    assertThat(watcher.next(s.id()).state()).isEqualTo(SubscriptionState.TERMINATED);
    assertThat(notifier.notifier().dialogState(s.notifierId())).isEmpty();
  }

  @Test
  void resumedSubscriptionNotRefreshedInTimeEndsWithATimeoutNotify_rfc6665section4_2_1_4()
      throws Exception {
    Accepted s = accepted();
    restartNotifier();

    notifier.notifier().resume(presence.saved(s.notifierId()), Duration.ofSeconds(1));

    Notification last = watcher.next(s.id());
    assertThat(last.state()).isEqualTo(SubscriptionState.TERMINATED);
    assertThat(last.reason()).contains(TerminationReason.TIMEOUT);
    assertThat(presence.nextEnd(s.notifierId())).isEqualTo(SubscriptionEnd.TIMED_OUT);
    assertThat(notifier.notifier().dialogState(s.notifierId())).isEmpty();
  }

  // ---- what resume refuses ----

  @Test
  void resumeRefusesAnIdThatIsStillSubscribed() throws Exception {
    Accepted s = accepted();
    DialogState live = notifier.notifier().dialogState(s.notifierId()).orElseThrow();

    assertThatThrownBy(() -> notifier.notifier().resume(live, Duration.ofSeconds(300)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(s.notifierId().toString());
    assertThat(notifier.notifier().dialogState(s.notifierId())).contains(live);
    assertThat(
            await(notifier.notifier().notify(s.notifierId(), OutgoingNotification.active()))
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void resumeRefusesLessThanOneSecondRemaining() {
    DialogState dialog = stored(1, "presence");

    for (Duration tooShort :
        List.of(Duration.ofMillis(999), Duration.ZERO, Duration.ofSeconds(-1))) {
      assertThatThrownBy(() -> notifier.notifier().resume(dialog, tooShort))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(notifier.notifier().dialogState(dialog.id())).isEmpty();
  }

  @Test
  void resumeRefusesACseqThatCannotMoveAheadBelow2pow31_rfc3261section8_1_1_5() {
    long lastThatFits = DialogState.CSEQ_LIMIT - SubscriptionNotifier.RESUME_CSEQ_GAP - 2;
    DialogState nearTheLimit = stored(lastThatFits + 1, "presence");
    DialogState justBelow = stored(lastThatFits, "presence");

    assertThatThrownBy(() -> notifier.notifier().resume(nearTheLimit, Duration.ofSeconds(300)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2^31");
    assertThat(notifier.notifier().dialogState(nearTheLimit.id())).isEmpty();
    notifier.notifier().resume(justBelow, Duration.ofSeconds(300));
    assertThat(notifier.notifier().dialogState(justBelow.id()).orElseThrow().localCseq())
        .isEqualTo(DialogState.CSEQ_LIMIT - 2);
  }

  @Test
  void resumeRefusesAnotherEventPackage_rfc6665section4_2_1_1() {
    DialogState dialog = stored(1, "dialog");

    assertThatThrownBy(() -> notifier.notifier().resume(dialog, Duration.ofSeconds(300)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dialog");
    assertThat(notifier.notifier().dialogState(dialog.id())).isEmpty();
  }

  @Test
  void resumeNeedsASubscriptionHandler() {
    assertThatThrownBy(
            () -> subscriber.notifier().resume(stored(1, "presence"), Duration.ofSeconds(300)))
        .isInstanceOf(IllegalStateException.class);
  }

  // ---- helpers ----

  /** A subscription from {@link #subscriber} to Juliet, accepted and its immediate NOTIFY taken. */
  private record Accepted(SubscriptionId id, SubscriptionId notifierId) {}

  private Accepted accepted() throws Exception {
    SubscribeOutcome outcome =
        await(subscriber.subscriptions().subscribe(SubscribeRequest.presence(JULIET, ROMEO)));
    assertThat(outcome.alive()).isTrue();
    SubscriptionId atNotifier = presence.next().id();
    assertThat(watcher.next(outcome.id()).state()).isEqualTo(SubscriptionState.PENDING);
    return new Accepted(outcome.id(), atNotifier);
  }

  /** Closes the notifier and starts another on the same address and port, knowing nothing. */
  private void restartNotifier() throws IOException {
    notifier.close();
    notifier = newNotifier();
  }

  private SipEndpoint newNotifier() throws IOException {
    SipEndpoint endpoint =
        SipEndpoint.start(
            SipSettings.builder(NOTIFIER_HOST)
                .udp(notifierPort)
                .tcp(notifierPort)
                .t1(T1)
                .domains("xmpp.test")
                .build(),
            SipHandlers.builder().subscriptions(presence).build());
    presence.store = endpoint.notifier();
    return endpoint;
  }

  /** A notifier's dialog as a store might hold it, with a remote target nobody listens on. */
  private static DialogState stored(long localCseq, String event) {
    return new DialogState(
        "stored-" + System.nanoTime(),
        JULIET,
        "n1",
        ROMEO,
        "w1",
        localCseq,
        OptionalLong.of(7),
        List.of(),
        "sip:romeo@" + SUBSCRIBER_HOST.getHostAddress() + ":9",
        event,
        List.of(SubscribeRequest.PIDF));
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  /**
   * The notifier's application: grants what is asked; pending first, active on refresh, terminated
   * on unsubscribe; saves the dialog on accept and on each refresh, as {@link SubscriptionNotifier}
   * asks, and not after other NOTIFYs.
   */
  private static final class Presence implements SubscriptionHandler {
    final BlockingQueue<IncomingSubscription> received = new LinkedBlockingQueue<>();
    final BlockingQueue<Map.Entry<SubscriptionId, SubscriptionEnd>> ended =
        new LinkedBlockingQueue<>();
    final Map<SubscriptionId, DialogState> saves = new ConcurrentHashMap<>();
    volatile SubscriptionNotifier store;

    void reset() {
      received.clear();
      ended.clear();
      saves.clear();
    }

    @Override
    public void onSubscribe(IncomingSubscription s, SubscriptionResponder responder) {
      try {
        switch (s.kind()) {
          case NEW -> responder.accept(s.expires(), OutgoingNotification.pending());
          case REFRESH ->
              responder.accept(
                  s.expires(), OutgoingNotification.active(SubscribeRequest.PIDF, PIDF));
          case UNSUBSCRIBE, POLL ->
              responder.accept(
                  Duration.ZERO, OutgoingNotification.terminated(TerminationReason.TIMEOUT));
        }
        store.dialogState(s.id()).ifPresent(dialog -> saves.put(s.id(), dialog));
      } finally {
        // Last: once a test has taken the SUBSCRIBE, its dialog is saved.
        received.add(s);
      }
    }

    @Override
    public void onEnded(SubscriptionId id, SubscriptionEnd end) {
      ended.add(Map.entry(id, end));
    }

    DialogState saved(SubscriptionId id) {
      DialogState dialog = saves.get(id);
      assertThat(dialog).as("a saved dialog for %s", id).isNotNull();
      return dialog;
    }

    IncomingSubscription next() throws InterruptedException {
      IncomingSubscription s = received.poll(5, TimeUnit.SECONDS);
      assertThat(s).as("a SUBSCRIBE reaches the handler").isNotNull();
      return s;
    }

    SubscriptionEnd nextEnd(SubscriptionId id) throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (System.nanoTime() < deadline) {
        Map.Entry<SubscriptionId, SubscriptionEnd> e =
            ended.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (e != null && e.getKey().equals(id)) {
          return e.getValue();
        }
      }
      throw new AssertionError("no end reported for " + id);
    }
  }

  /** The subscriber's application: keeps NOTIFYs per subscription. */
  private static final class Watcher implements NotificationListener {
    final BlockingQueue<Notification> notifications = new LinkedBlockingQueue<>();

    void reset() {
      notifications.clear();
    }

    @Override
    public void onNotification(Notification notification) {
      notifications.add(notification);
    }

    @Override
    public void onEnded(SubscriptionId id, SubscriptionEnd end) {}

    /** The next notification of {@code id} within 5 s; others are dropped. */
    Notification next(SubscriptionId id) throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (System.nanoTime() < deadline) {
        Notification n = notifications.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (n != null && n.subscription().equals(id)) {
          return n;
        }
      }
      throw new AssertionError("no NOTIFY for " + id);
    }
  }
}
