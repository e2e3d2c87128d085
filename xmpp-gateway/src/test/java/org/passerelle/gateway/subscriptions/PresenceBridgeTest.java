package org.passerelle.gateway.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.dom4j.DocumentFactory;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.gateway.presence.PidfWriter;
import org.passerelle.gateway.presence.PresenceState;
import org.passerelle.gateway.presence.Show;
import org.passerelle.gateway.presence.ShowMapping;
import org.passerelle.gateway.sip.IncomingSubscription;
import org.passerelle.gateway.sip.Notification;
import org.passerelle.gateway.sip.OutgoingNotification;
import org.passerelle.gateway.sip.SipTransport;
import org.passerelle.gateway.sip.SubscribeRequest;
import org.passerelle.gateway.sip.SubscriptionId;
import org.passerelle.gateway.sip.SubscriptionResponder;
import org.passerelle.gateway.sip.SubscriptionState;
import org.passerelle.gateway.sip.TerminationReason;
import org.passerelle.gateway.store.Authorization;
import org.passerelle.gateway.store.AuthorizationKey;
import org.passerelle.gateway.store.AuthorizationState;
import org.passerelle.gateway.store.Direction;
import org.passerelle.gateway.store.JdbcSubscriptionStore;
import org.passerelle.gateway.store.StoreSettings;
import org.passerelle.gateway.store.SubscriptionStore;
import org.passerelle.model.Namespaces;
import org.passerelle.model.address.SipUri;

/**
 * The presence flows of RFC 8048 §5 and §7 step by step, with the SIP roles faked and the store
 * real (SQLite). The same flows run against Kamailio and Prosody in the integration tests.
 */
class PresenceBridgeTest {
  private static final String ALICE = "alice@sip.test";
  private static final String BOB = "bob@xmpp.test";
  private static final AuthorizationKey BOB_WATCHES_ALICE =
      new AuthorizationKey(ALICE, BOB, Direction.XMPP_WATCHES_SIP);
  private static final AuthorizationKey ALICE_WATCHES_BOB =
      new AuthorizationKey(ALICE, BOB, Direction.SIP_WATCHES_XMPP);
  private static final Duration QUIET = Duration.ofMillis(300);
  private static final PidfWriter PIDF =
      new PidfWriter(ShowMapping.defaults(), PidfWriter.EntityScheme.SIP);

  @TempDir Path dir;

  private SubscriptionStore store;
  private final BlockingQueue<Element> toXmpp = new LinkedBlockingQueue<>();
  private final FakeSip sip = new FakeSip();
  private PresenceBridge bridge;

  @BeforeEach
  void start() {
    store = JdbcSubscriptionStore.open(StoreSettings.embedded(dir));
    bridge = newBridge();
  }

  private PresenceBridge newBridge() {
    PresenceBridge b =
        new PresenceBridge(
            PresenceSettings.defaults(),
            Set.of("sip.test"),
            store,
            stanza -> {
              toXmpp.add(stanza);
              return CompletableFuture.completedFuture(null);
            },
            Clock.systemUTC());
    b.attach(sip.client, sip.notifier, Duration.ofSeconds(32));
    return b;
  }

  @AfterEach
  void stop() {
    bridge.close();
    store.close();
  }

  // An XMPP contact watches a SIP user (RFC 8048 §5.2)

  @Test
  void subscribeBecomesASipSubscriptionAuthorisedByItsFirstActiveNotify() throws Exception {
    bridge.onStanza(presence("subscribe", BOB, ALICE));

    FakeSip.Sent subscribe = sip.nextSent();
    assertThat(subscribe.kind()).isEqualTo("subscribe");
    assertThat(subscribe.request().presentity()).isEqualTo("sip:alice@sip.test");
    assertThat(subscribe.request().watcher()).isEqualTo("sip:bob@xmpp.test");
    assertThat(subscribe.request().accept()).containsExactly(SubscribeRequest.PIDF);
    assertThat(subscribe.expires()).isEqualTo(PresenceSettings.DEFAULT_LIFETIME);
    eventually(() -> stateOf(BOB_WATCHES_ALICE).equals(Optional.of(AuthorizationState.PENDING_IN)));

    subscribe.answer(200, Duration.ofHours(1));
    notifyBridge(subscribe.id(), SubscriptionState.PENDING, null, "");
    assertNothingToXmpp();

    notifyBridge(subscribe.id(), SubscriptionState.ACTIVE, null, pidf(Show.AWAY, "at lunch"));
    assertThat(nextToXmpp()).satisfies(p -> assertPresence(p, "subscribed", ALICE, BOB));
    Element presence = nextToXmpp();
    assertPresence(presence, null, ALICE, BOB);
    assertThat(presence.elementText("show")).isEqualTo("away");
    assertThat(presence.elementText("status")).isEqualTo("at lunch");
    eventually(() -> stateOf(BOB_WATCHES_ALICE).equals(Optional.of(AuthorizationState.GRANTED)));
    eventually(() -> !join(store.dialogsOf(BOB_WATCHES_ALICE)).isEmpty());
  }

  @Test
  void subscriptionsAreCountedByDirectionAndStateOnThePresenceThread() throws Exception {
    assertThat(counts()).isEqualTo(new PresenceBridge.SubscriptionCounts(0, 0, 0, 0));

    bridge.onStanza(presence("subscribe", BOB, ALICE));
    FakeSip.Sent subscribe = sip.nextSent();
    eventually(() -> counts().equals(new PresenceBridge.SubscriptionCounts(0, 1, 0, 0)));

    subscribe.answer(200, Duration.ofHours(1));
    notifyBridge(subscribe.id(), SubscriptionState.ACTIVE, null, "");
    eventually(() -> counts().equals(new PresenceBridge.SubscriptionCounts(1, 0, 0, 0)));
    assertPresence(nextToXmpp(), "subscribed", ALICE, BOB);

    approvedSipWatch();
    eventually(() -> counts().equals(new PresenceBridge.SubscriptionCounts(1, 0, 1, 0)));
  }

  private PresenceBridge.SubscriptionCounts counts() {
    try {
      return bridge.subscriptionCounts().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aNotifyWithTheSameStateSendsNothingNew() throws Exception {
    FakeSip.Sent subscribe = authorise();
    notifyBridge(subscribe.id(), SubscriptionState.ACTIVE, null, pidf(Show.DND, "busy"));
    assertThat(nextToXmpp().elementText("show")).isEqualTo("dnd");

    notifyBridge(subscribe.id(), SubscriptionState.ACTIVE, null, pidf(Show.DND, "busy"));

    assertNothingToXmpp();
  }

  @Test
  void aRefusedSubscribeIsToldAsUnsubscribedAndForgotten() throws Exception {
    bridge.onStanza(presence("subscribe", BOB, ALICE));
    sip.nextSent().answer(603, Duration.ZERO);

    assertPresence(nextToXmpp(), "unsubscribed", ALICE, BOB);
    eventually(() -> stateOf(BOB_WATCHES_ALICE).isEmpty());
  }

  @Test
  void terminatedRejectedEndsTheAuthorisation() throws Exception {
    FakeSip.Sent subscribe = authorise();

    notifyBridge(subscribe.id(), SubscriptionState.TERMINATED, TerminationReason.REJECTED, "");

    assertPresence(nextToXmpp(), "unsubscribed", ALICE, BOB);
    eventually(() -> stateOf(BOB_WATCHES_ALICE).isEmpty());
  }

  @Test
  void terminatedTimeoutKeepsTheAuthorisationAndSubscribesAgain() throws Exception {
    FakeSip.Sent subscribe = authorise();

    notifyBridge(subscribe.id(), SubscriptionState.TERMINATED, TerminationReason.DEACTIVATED, "");

    FakeSip.Sent again = sip.nextSent();
    assertThat(again.kind()).isEqualTo("subscribe");
    assertThat(again.id()).isNotEqualTo(subscribe.id());
    assertNothingToXmpp();
    assertThat(stateOf(BOB_WATCHES_ALICE)).contains(AuthorizationState.GRANTED);
  }

  @Test
  void aProbeIsAnsweredFromTheLastNotify() throws Exception {
    FakeSip.Sent subscribe = authorise();
    notifyBridge(subscribe.id(), SubscriptionState.ACTIVE, null, pidf(Show.XA, null));
    nextToXmpp();

    bridge.onStanza(presence("probe", BOB + "/laptop", ALICE));

    assertThat(nextToXmpp().elementText("show")).isEqualTo("xa");
    assertThat(sip.pollSent(QUIET)).isNull();
  }

  @Test
  void aProbeWithoutKnownStateFetchesItOnce() throws Exception {
    authorise();

    bridge.onStanza(presence("probe", BOB, ALICE));

    FakeSip.Sent fetch = sip.nextSent();
    assertThat(fetch.kind()).isEqualTo("fetch");
    fetch.answer(200, Duration.ZERO);
    notifyBridge(fetch.id(), SubscriptionState.TERMINATED, TerminationReason.TIMEOUT, "");
    assertPresence(nextToXmpp(), "unavailable", ALICE, BOB);
  }

  @Test
  void aProbeFromAnUnauthorisedContactIsAnsweredUnsubscribed() throws Exception {
    bridge.onStanza(presence("probe", BOB, ALICE));

    assertPresence(nextToXmpp(), "unsubscribed", ALICE, BOB);
    assertThat(sip.pollSent(QUIET)).isNull();
  }

  @Test
  void unsubscribeEndsTheDialogAndTheAuthorisation() throws Exception {
    FakeSip.Sent subscribe = authorise();

    bridge.onStanza(presence("unsubscribe", BOB, ALICE));

    FakeSip.Sent unsubscribe = sip.nextSent();
    assertThat(unsubscribe.kind()).isEqualTo("unsubscribe");
    assertThat(unsubscribe.id()).isEqualTo(subscribe.id());
    assertPresence(nextToXmpp(), "unavailable", ALICE, BOB);
    assertPresence(nextToXmpp(), "unsubscribed", ALICE, BOB);
    eventually(() -> stateOf(BOB_WATCHES_ALICE).isEmpty());
  }

  @Test
  void aRepeatedSubscribeOfAnAuthorisedContactIsAnsweredAtOnce() throws Exception {
    authorise();

    bridge.onStanza(presence("subscribe", BOB, ALICE));

    assertPresence(nextToXmpp(), "subscribed", ALICE, BOB);
    assertThat(sip.pollSent(QUIET)).isNull();
  }

  @Test
  void aSubscriptionIsRefreshedBeforeItExpires() throws Exception {
    bridge.onStanza(presence("subscribe", BOB, ALICE));
    FakeSip.Sent subscribe = sip.nextSent();

    subscribe.answer(200, Duration.ofSeconds(2)); // the notifier granted less than asked

    FakeSip.Sent refresh = sip.nextSent();
    assertThat(refresh.kind()).isEqualTo("refresh");
    assertThat(refresh.id()).isEqualTo(subscribe.id());
    assertThat(refresh.expires()).isEqualTo(PresenceSettings.DEFAULT_LIFETIME);
  }

  @Test
  void afterARestartTheStoredDialogIsResumedNotSubscribedAgain() throws Exception {
    FakeSip.Sent subscribe = authorise();
    bridge.close();

    bridge = newBridge();
    bridge.onLinkUp();

    FakeSip.Sent resume = sip.nextSent();
    assertThat(resume.kind()).isEqualTo("resume");
    assertThat(resume.id()).isEqualTo(subscribe.id());
    resume.answer(200, Duration.ofHours(1));
    assertThat(join(bridge.restored())).isEqualTo(1);
    assertNothingToXmpp();
  }

  @Test
  void afterARestartADialogTheSipSideForgotIsReplacedByANewOne() throws Exception {
    authorise();
    bridge.close();

    bridge = newBridge();
    bridge.onLinkUp();
    sip.nextSent().answer(481, Duration.ZERO);

    FakeSip.Sent subscribe = sip.nextSent();
    assertThat(subscribe.kind()).isEqualTo("subscribe");
    subscribe.answer(200, Duration.ofHours(1));
    notifyBridge(subscribe.id(), SubscriptionState.ACTIVE, null, pidf(Show.NONE, null));
    // Still authorised: no new subscribed, just the presence.
    assertPresence(nextToXmpp(), null, ALICE, BOB);
    assertNothingToXmpp();
  }

  // A SIP user watches an XMPP contact (RFC 8048 §5.3)

  @Test
  void aSipSubscriptionIsPendingUntilTheContactApproves() throws Exception {
    Responder responder = subscribeFromSip(IncomingSubscription.Kind.NEW, newId());

    assertPresence(nextToXmpp(), "subscribe", ALICE, BOB);
    Responder.Decision decision = responder.decision();
    assertThat(decision.first().state()).isEqualTo(SubscriptionState.PENDING);
    assertThat(decision.expires()).isEqualTo(Duration.ofHours(1));
    eventually(
        () -> stateOf(ALICE_WATCHES_BOB).equals(Optional.of(AuthorizationState.PENDING_OUT)));
    eventually(() -> !join(store.dialogsOf(ALICE_WATCHES_BOB)).isEmpty());

    bridge.onStanza(presence("subscribed", BOB, ALICE));

    FakeSip.Notified active = sip.nextNotify();
    assertThat(active.notification().state()).isEqualTo(SubscriptionState.ACTIVE);
    assertThat(active.notification().hasBody()).isFalse();
    eventually(() -> stateOf(ALICE_WATCHES_BOB).equals(Optional.of(AuthorizationState.GRANTED)));
  }

  @Test
  void theContactsPresenceBecomesANotifyWithAllItsResources() throws Exception {
    SubscriptionId id = approvedSipWatch();

    Element phone = presence(null, BOB + "/phone", ALICE);
    phone.addElement("show", Namespaces.SERVER).setText("dnd");
    phone.addElement("status", Namespaces.SERVER).setText("in a meeting");
    bridge.onStanza(phone);
    bridge.onStanza(presence(null, BOB + "/laptop", ALICE));

    OutgoingNotification first = sip.nextNotify().notification();
    assertThat(first.contentType()).isEqualTo(SubscribeRequest.PIDF);
    assertThat(first.body()).contains("in a meeting").contains("dnd").contains("ID-phone");
    FakeSip.Notified second = sip.nextNotify();
    assertThat(second.id()).isEqualTo(id);
    assertThat(second.notification().body()).contains("ID-phone").contains("ID-laptop");
  }

  @Test
  void unavailablePresenceIsAClosedTuple() throws Exception {
    approvedSipWatch();
    bridge.onStanza(presence(null, BOB + "/phone", ALICE));
    sip.nextNotify();

    bridge.onStanza(presence("unavailable", BOB + "/phone", ALICE));

    assertThat(sip.nextNotify().notification().body()).contains("<basic>closed</basic>");
  }

  @Test
  void unsubscribedFromTheContactTerminatesTheDialogRejected() throws Exception {
    approvedSipWatch();

    bridge.onStanza(presence("unsubscribed", BOB, ALICE));

    OutgoingNotification last = sip.nextNotify().notification();
    assertThat(last.state()).isEqualTo(SubscriptionState.TERMINATED);
    assertThat(last.reason()).contains(TerminationReason.REJECTED);
    eventually(() -> stateOf(ALICE_WATCHES_BOB).isEmpty());
  }

  @Test
  void aSipUnsubscribeIsAnsweredClosedAndKeepsTheAuthorisation() throws Exception {
    SubscriptionId id = approvedSipWatch();

    Responder responder = subscribeFromSip(IncomingSubscription.Kind.UNSUBSCRIBE, id);

    Responder.Decision decision = responder.decision();
    assertThat(decision.expires()).isZero();
    assertThat(decision.first().state()).isEqualTo(SubscriptionState.TERMINATED);
    assertThat(decision.first().body()).contains("<basic>closed</basic>");
    assertPresence(nextToXmpp(), "unavailable", ALICE, BOB);
    assertThat(stateOf(ALICE_WATCHES_BOB)).contains(AuthorizationState.GRANTED);
  }

  @Test
  void aWatcherFromAnotherDomainIsRefused() throws Exception {
    Responder responder = new Responder();
    bridge
        .subscriptionHandler()
        .onSubscribe(
            incoming(IncomingSubscription.Kind.NEW, newId(), "sip:mallory@elsewhere.test"),
            responder);

    assertThat(responder.decision().rejected()).isEqualTo(403);
    assertNothingToXmpp();
  }

  @Test
  void afterARestartSipWatchersAreResumedAndTheContactProbed() throws Exception {
    SubscriptionId id = approvedSipWatch();
    bridge.onStanza(presence(null, BOB + "/phone", ALICE));
    sip.nextNotify();
    bridge.close();

    bridge = newBridge();
    bridge.onLinkUp();

    assertThat(join(bridge.restored())).isEqualTo(1);
    eventually(() -> sip.resumed().containsKey(id));
    assertPresence(nextToXmpp(), "probe", ALICE, BOB);
  }

  // Helpers

  /** Bob subscribes to Alice and the SIP side authorises at once. */
  private FakeSip.Sent authorise() throws Exception {
    bridge.onStanza(presence("subscribe", BOB, ALICE));
    FakeSip.Sent subscribe = sip.nextSent();
    subscribe.answer(200, Duration.ofHours(1));
    notifyBridge(subscribe.id(), SubscriptionState.ACTIVE, null, "");
    assertPresence(nextToXmpp(), "subscribed", ALICE, BOB);
    eventually(() -> stateOf(BOB_WATCHES_ALICE).equals(Optional.of(AuthorizationState.GRANTED)));
    eventually(() -> !join(store.dialogsOf(BOB_WATCHES_ALICE)).isEmpty());
    return subscribe;
  }

  /** Alice subscribes to Bob from SIP and Bob approves. */
  private SubscriptionId approvedSipWatch() throws Exception {
    SubscriptionId id = newId();
    subscribeFromSip(IncomingSubscription.Kind.NEW, id).decision();
    assertPresence(nextToXmpp(), "subscribe", ALICE, BOB);
    bridge.onStanza(presence("subscribed", BOB, ALICE));
    assertThat(sip.nextNotify().notification().state()).isEqualTo(SubscriptionState.ACTIVE);
    eventually(() -> stateOf(ALICE_WATCHES_BOB).equals(Optional.of(AuthorizationState.GRANTED)));
    eventually(() -> !join(store.dialogsOf(ALICE_WATCHES_BOB)).isEmpty());
    return id;
  }

  private int ids;

  private SubscriptionId newId() {
    ids++;
    return new SubscriptionId("in-call-" + ids, "in-tag-" + ids);
  }

  private Responder subscribeFromSip(IncomingSubscription.Kind kind, SubscriptionId id) {
    Responder responder = new Responder(() -> sip.accepted(id));
    bridge.subscriptionHandler().onSubscribe(incoming(kind, id, "sip:alice@sip.test"), responder);
    return responder;
  }

  private static IncomingSubscription incoming(
      IncomingSubscription.Kind kind, SubscriptionId id, String watcher) {
    boolean zero =
        kind == IncomingSubscription.Kind.UNSUBSCRIBE || kind == IncomingSubscription.Kind.POLL;
    return new IncomingSubscription(
        id,
        kind,
        "sip:bob@xmpp.test",
        "sip:bob@xmpp.test",
        watcher,
        SubscribeRequest.PRESENCE,
        List.of(SubscribeRequest.PIDF),
        zero ? Duration.ZERO : Duration.ofHours(2),
        new InetSocketAddress("127.0.0.1", 5060),
        SipTransport.UDP);
  }

  /** Records the bridge's answer to one SUBSCRIBE. */
  private static final class Responder implements SubscriptionResponder {
    record Decision(Duration expires, OutgoingNotification first, int rejected) {}

    private final CompletableFuture<Decision> decision = new CompletableFuture<>();
    private final Runnable onAccept;

    Responder() {
      this(() -> {});
    }

    Responder(Runnable onAccept) {
      this.onAccept = onAccept;
    }

    @Override
    public void accept(Duration expires, OutgoingNotification first) {
      onAccept.run();
      decision.complete(new Decision(expires, first, 0));
    }

    @Override
    public void reject(int statusCode, String reasonPhrase) {
      decision.complete(new Decision(null, null, statusCode));
    }

    Decision decision() throws Exception {
      return decision.get(5, TimeUnit.SECONDS);
    }
  }

  private void notifyBridge(
      SubscriptionId id, SubscriptionState state, TerminationReason reason, String pidf) {
    bridge
        .notificationListener()
        .onNotification(
            new Notification(
                id,
                "sip:alice@sip.test",
                "sip:bob@xmpp.test",
                state,
                state == SubscriptionState.TERMINATED
                    ? Optional.empty()
                    : Optional.of(Duration.ofHours(1)),
                Optional.ofNullable(reason),
                Optional.empty(),
                pidf.isEmpty() ? "" : SubscribeRequest.PIDF,
                pidf,
                Optional.empty()));
  }

  private static String pidf(Show show, String status) {
    PresenceState.Builder state = PresenceState.available().show(show);
    if (status != null) {
      state.status(status, null);
    }
    return PIDF.write(SipUri.parse("sip:alice@sip.test"), state.build());
  }

  private static Element presence(String type, String from, String to) {
    Element presence =
        DocumentFactory.getInstance()
            .createElement(QName.get("presence", Namespace.get(Namespaces.SERVER)));
    presence.addAttribute("from", from);
    presence.addAttribute("to", to);
    if (type != null) {
      presence.addAttribute("type", type);
    }
    return presence;
  }

  private static void assertPresence(Element presence, String type, String from, String to) {
    assertThat(presence.getName()).isEqualTo("presence");
    assertThat(presence.attributeValue("type")).isEqualTo(type);
    assertThat(presence.attributeValue("from")).isEqualTo(from);
    assertThat(presence.attributeValue("to")).isEqualTo(to);
  }

  private Element nextToXmpp() throws InterruptedException {
    Element next = toXmpp.poll(5, TimeUnit.SECONDS);
    if (next == null) {
      throw new AssertionError("no stanza sent to XMPP");
    }
    return next;
  }

  private void assertNothingToXmpp() throws InterruptedException {
    Element next = toXmpp.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(next).as("stanza sent to XMPP").isNull();
  }

  private Optional<AuthorizationState> stateOf(AuthorizationKey key) {
    return join(store.authorization(key)).map(Authorization::state);
  }

  private static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  private static void eventually(Supplier<Boolean> condition) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(5);
    while (!condition.get()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("condition not met within 5 s");
      }
      Thread.sleep(10);
    }
  }
}
