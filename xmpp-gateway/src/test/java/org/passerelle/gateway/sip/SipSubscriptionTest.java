package org.passerelle.gateway.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Event subscriptions (RFC 6665, presence RFC 3856) between two endpoints on loopback, one
 * subscribing through the other as its outbound proxy, and a hand-written SIP peer ({@link RawSip})
 * playing a proxy or a notifier where the order or the exact headers matter. Addresses
 * 127.0.0.64–.69.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SipSubscriptionTest {

  /** Short, so that Timer N and Timer F (64 × T1) fire after 1.28 s. */
  private static final Duration T1 = Duration.ofMillis(20);

  private static final Duration TIMER_N = T1.multipliedBy(SipSettings.TIMER_F_FACTOR);

  private static final InetAddress SUBSCRIBER_HOST = address("127.0.0.64");
  private static final InetAddress NOTIFIER_HOST = address("127.0.0.65");
  private static final InetAddress RAW_HOST = address("127.0.0.66");
  private static final InetAddress RESTARTING_HOST = address("127.0.0.67");
  private static final InetAddress VIA_RAW_HOST = address("127.0.0.68");

  private static final String JULIET = "sip:juliet@xmpp.test";
  private static final String ROMEO = "sip:romeo@gw.example";

  private static final String PIDF =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <presence xmlns="urn:ietf:params:xml:ns:pidf" entity="pres:juliet@xmpp.test">
        <tuple id="ID-balcony"><status><basic>open</basic></status>
          <note>Wherefore art thou — ✓</note></tuple>
      </presence>
      """;

  private static final String CLOSED_PIDF =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <presence xmlns="urn:ietf:params:xml:ns:pidf" entity="pres:juliet@xmpp.test">
        <tuple id="ID-balcony"><status><basic>closed</basic></status></tuple>
      </presence>
      """;

  private final Presence presence = new Presence();
  private final Watcher watcher = new Watcher();

  /** Serves xmpp.test; SUBSCRIBEs go to {@link #presence}. */
  private SipEndpoint notifier;

  /** Subscribes through {@link #notifier} as its outbound proxy; NOTIFYs go to {@link #watcher}. */
  private SipEndpoint subscriber;

  /** A notifier written by hand, outbound proxy of {@link #viaRaw}. */
  private RawSip rawNotifier;

  /** Subscribes through {@link #rawNotifier}; NOTIFYs go to {@link #watcher}. */
  private SipEndpoint viaRaw;

  private final List<AutoCloseable> perTest = new ArrayList<>();

  /** The Call-IDs {@link #rawNotifier} has already seen. */
  private final java.util.Set<String> rawCallIds =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  @BeforeAll
  void startSharedEndpoints() throws IOException {
    notifier =
        SipEndpoint.start(
            settings(NOTIFIER_HOST).domains("xmpp.test").build(),
            SipHandlers.builder()
                .message(SipHandlers.TEXT_PLAIN, (message, responder) -> responder.respond(200, ""))
                .subscriptions(presence)
                .build());
    subscriber =
        SipEndpoint.start(
            subscriberSettings(FreePorts.udpAndTcp(SUBSCRIBER_HOST), SUBSCRIBER_HOST), watching());
    rawNotifier = new RawSip(RAW_HOST);
    viaRaw =
        SipEndpoint.start(
            SipSettings.builder(VIA_RAW_HOST)
                .udp(FreePorts.udpAndTcp(VIA_RAW_HOST))
                .t1(T1)
                .domains("gw.example")
                .outboundProxy(SipServerAddress.parse(rawNotifier.hostPort()))
                .build(),
            watching());
  }

  @AfterAll
  void stopSharedEndpoints() {
    for (AutoCloseable c : new AutoCloseable[] {subscriber, notifier, viaRaw, rawNotifier}) {
      try {
        c.close();
      } catch (Exception e) {
        // keep closing
      }
    }
  }

  @BeforeEach
  void reset() {
    presence.reset();
    watcher.reset();
  }

  @AfterEach
  void closePerTest() throws Exception {
    for (AutoCloseable c : perTest) {
      c.close();
    }
    perTest.clear();
  }

  // ---- both roles between two endpoints ----

  @Test
  void initialSubscribeGets200ThenAnImmediatePendingNotify_rfc6665section4_2_1_2()
      throws Exception {
    SubscribeOutcome outcome =
        await(subscriber.subscriptions().subscribe(SubscribeRequest.presence(JULIET, ROMEO)));

    assertThat(outcome.response().statusCode()).isEqualTo(200);
    assertThat(outcome.alive()).isTrue();
    IncomingSubscription incoming = presence.next();
    assertThat(incoming.kind()).isEqualTo(IncomingSubscription.Kind.NEW);
    assertThat(incoming.presentity()).isEqualTo(JULIET);
    assertThat(incoming.watcher()).isEqualTo(ROMEO);
    assertThat(incoming.event()).isEqualTo("presence");
    assertThat(incoming.accept()).containsExactly("application/pidf+xml");
    Notification first = watcher.next(outcome.id());
    assertThat(first.state()).isEqualTo(SubscriptionState.PENDING);
    assertThat(first.hasBody()).isFalse();
    assertThat(first.presentity()).isEqualTo(JULIET);
    assertThat(first.watcher()).isEqualTo(ROMEO);
    assertThat(outcome.dialog()).isPresent();
    assertThat(subscriber.subscriptions().dialogState(outcome.id()))
        .get()
        .extracting(DialogState::remoteTag)
        .isEqualTo(incoming.id().localTag());
  }

  @Test
  void grantedExpiresIsAtMostTheOneAsked_rfc6665section4_2_1_1() throws Exception {
    presence.maxExpires = Duration.ofSeconds(300);

    SubscribeOutcome outcome =
        await(
            subscriber
                .subscriptions()
                .subscribe(
                    SubscribeRequest.presence(JULIET, ROMEO).withExpires(Duration.ofSeconds(600))));

    assertThat(presence.next().expires()).isEqualTo(Duration.ofSeconds(600));
    assertThat(outcome.expires()).contains(Duration.ofSeconds(300));
    assertThat(watcher.next(outcome.id()).expires().orElseThrow())
        .isLessThanOrEqualTo(Duration.ofSeconds(300))
        .isGreaterThan(Duration.ofSeconds(290));
  }

  @Test
  void anAnsweredSubscribeLeavesNoTransactionForJainSipToScanOnEachNotify() throws Exception {
    SubscribeOutcome outcome =
        await(subscriber.subscriptions().subscribe(SubscribeRequest.presence(JULIET, ROMEO)));
    assertThat(outcome.isSuccess()).isTrue();

    // Ended at JAIN-SIP's next transaction tick (T1), not after Timer K (T4, 5 s, over UDP) or the
    // longer hold JAIN-SIP gives SUBSCRIBEs.
    long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    while (subscriber.clientTransactionsInStack() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(subscriber.clientTransactionsInStack()).isZero();
    // NOTIFYs still reach the subscription: we match them, not JAIN-SIP.
    assertThat(watcher.next(outcome.id()).subscription()).isEqualTo(outcome.id());
  }

  @Test
  void laterNotifyInTheDialogCarriesThePidf_rfc6665section4_2_2() throws Exception {
    Subscribed s = subscribed();

    SipResponseInfo response =
        await(
            notifier
                .notifier()
                .notify(s.notifierId(), OutgoingNotification.active(SubscribeRequest.PIDF, PIDF)));

    assertThat(response.statusCode()).isEqualTo(200);
    Notification active = watcher.next(s.id());
    assertThat(active.state()).isEqualTo(SubscriptionState.ACTIVE);
    assertThat(active.contentType()).isEqualTo("application/pidf+xml");
    assertThat(active.body()).isEqualTo(PIDF);
    assertThat(active.toString()).doesNotContain("Wherefore");
  }

  @Test
  void refreshInTheDialogIsAcceptedAndNotified_rfc6665section4_1_2_2() throws Exception {
    Subscribed s = subscribed();
    long cseq = subscriber.subscriptions().dialogState(s.id()).orElseThrow().localCseq();

    SubscribeOutcome refreshed =
        await(subscriber.subscriptions().refresh(s.id(), Duration.ofSeconds(120)));

    assertThat(refreshed.response().statusCode()).isEqualTo(200);
    assertThat(refreshed.alive()).isTrue();
    assertThat(refreshed.expires()).contains(Duration.ofSeconds(120));
    assertThat(refreshed.dialog().orElseThrow().localCseq()).isEqualTo(cseq + 1);
    IncomingSubscription refresh = presence.next();
    assertThat(refresh.kind()).isEqualTo(IncomingSubscription.Kind.REFRESH);
    assertThat(refresh.id()).isEqualTo(s.notifierId());
    Notification notified = watcher.next(s.id());
    assertThat(notified.state()).isEqualTo(SubscriptionState.ACTIVE);
    assertThat(notified.body()).isEqualTo(PIDF);
  }

  @Test
  void refreshCutToZeroEndsWithTheTerminatedNotify_rfc6665section4_1_2_2() throws Exception {
    Subscribed s = subscribed();
    presence.instead =
        (incoming, responder) ->
            responder.accept(
                Duration.ZERO, OutgoingNotification.terminated(TerminationReason.PROBATION));

    SubscribeOutcome refreshed =
        await(subscriber.subscriptions().refresh(s.id(), Duration.ofSeconds(120)));

    assertThat(refreshed.response().statusCode()).isEqualTo(200);
    assertThat(refreshed.expires()).contains(Duration.ZERO);
    assertThat(refreshed.alive()).isFalse();
    Notification last = watcher.next(s.id());
    assertThat(last.state()).isEqualTo(SubscriptionState.TERMINATED);
    assertThat(last.reason()).contains(TerminationReason.PROBATION);
    awaitGone(subscriber.subscriptions(), s.id());
  }

  @Test
  void contactNamesTheTransportOfATcpOnlyEndpoint_rfc3261section8_1_1_8() throws Exception {
    int port = FreePorts.udpAndTcp(RESTARTING_HOST);
    SipEndpoint tcpOnly =
        startOwn(
            SipSettings.builder(RESTARTING_HOST)
                .tcp(port)
                .t1(T1)
                .domains("gw.example")
                .outboundProxy(
                    SipServerAddress.parse(
                        NOTIFIER_HOST.getHostAddress()
                            + ":"
                            + udpPort(notifier)
                            + ";transport=tcp"))
                .build(),
            watching());

    SubscribeOutcome outcome =
        await(tcpOnly.subscriptions().subscribe(SubscribeRequest.presence(JULIET, ROMEO)));

    assertThat(outcome.response().statusCode()).isEqualTo(200);
    assertThat(presence.next().transport()).isEqualTo(SipTransport.TCP);
    assertThat(watcher.next(outcome.id()).state()).isEqualTo(SubscriptionState.PENDING);
  }

  @Test
  void unsubscribeEndsWithATerminatedNotify_rfc6665section4_1_2_3() throws Exception {
    Subscribed s = subscribed();

    SubscribeOutcome outcome = await(subscriber.subscriptions().unsubscribe(s.id()));

    assertThat(outcome.response().statusCode()).isEqualTo(200);
    assertThat(outcome.alive()).isFalse();
    assertThat(presence.next().kind()).isEqualTo(IncomingSubscription.Kind.UNSUBSCRIBE);
    Notification last = watcher.next(s.id());
    assertThat(last.state()).isEqualTo(SubscriptionState.TERMINATED);
    assertThat(last.reason()).contains(TerminationReason.TIMEOUT);
    assertThat(last.body()).isEqualTo(CLOSED_PIDF); // RFC 8048 §5.3.3
    assertThat(notifier.notifier().dialogState(s.notifierId())).isEmpty();
    awaitGone(subscriber.subscriptions(), s.id());
    assertThat(failure(subscriber.subscriptions().refresh(s.id(), Duration.ofSeconds(60))).reason())
        .isEqualTo(SipSendException.Reason.NO_SUBSCRIPTION);
  }

  @Test
  void pollInANewDialogGetsExactlyOneNotify_rfc6665section4_4_3() throws Exception {
    SubscribeOutcome outcome =
        await(subscriber.subscriptions().fetch(SubscribeRequest.presence(JULIET, ROMEO)));

    assertThat(outcome.response().statusCode()).isEqualTo(200);
    assertThat(outcome.expires()).contains(Duration.ZERO);
    assertThat(outcome.alive()).isFalse();
    IncomingSubscription poll = presence.next();
    assertThat(poll.kind()).isEqualTo(IncomingSubscription.Kind.POLL);
    assertThat(poll.expires()).isZero();
    Notification only = watcher.next(outcome.id());
    assertThat(only.state()).isEqualTo(SubscriptionState.TERMINATED);
    assertThat(only.body()).isEqualTo(CLOSED_PIDF);
    assertThat(watcher.nextWithin(outcome.id(), Duration.ofMillis(300))).isNull();
    assertThat(notifier.notifier().dialogState(poll.id())).isEmpty();
  }

  @Test
  void unrefreshedSubscriptionIsTerminatedWithReasonTimeout_rfc6665section4_2_1_4()
      throws Exception {
    presence.maxExpires = Duration.ofSeconds(1);
    Subscribed s = subscribed();

    Notification last = watcher.next(s.id());

    assertThat(last.state()).isEqualTo(SubscriptionState.TERMINATED);
    assertThat(last.reason()).contains(TerminationReason.TIMEOUT);
    assertThat(presence.nextEnd(s.notifierId())).isEqualTo(SubscriptionEnd.TIMED_OUT);
    awaitGone(subscriber.subscriptions(), s.id());
    assertThat(watcher.endWithin(s.id(), TIMER_N.plusSeconds(1))).isNull();
  }

  @Test
  void unknownEventPackageGets489_rfc6665section4_2_1_1() throws Exception {
    SubscribeOutcome outcome =
        await(
            subscriber
                .subscriptions()
                .subscribe(SubscribeRequest.presence(JULIET, ROMEO).withEvent("dialog")));

    assertThat(outcome.response().statusCode()).isEqualTo(489);
    assertThat(outcome.alive()).isFalse();
    assertThat(presence.received).isEmpty();
    awaitGone(subscriber.subscriptions(), outcome.id());
  }

  @Test
  void badEventResponseListsTheSupportedPackage_rfc6665section8_3_2() throws Exception {
    try (RawSip raw = new RawSip(RAW_HOST)) {
      raw.send(
          rawSubscribe(raw, "Event: dialog\r\n", 600), notifier.localAddress(SipTransport.UDP));

      RawSip.Received response = raw.receive(RawSip.Received::isResponse);
      assertThat(response.startLine()).startsWith("SIP/2.0 489 ");
      assertThat(response.headers("Allow-Events")).containsExactly("presence");
    }
  }

  @Test
  void acceptWithoutPidfGets406_rfc3856section6_5() throws Exception {
    SubscribeOutcome outcome =
        await(
            subscriber
                .subscriptions()
                .subscribe(
                    SubscribeRequest.presence(JULIET, ROMEO)
                        .withAccept(List.of("application/xpidf+xml"))));

    assertThat(outcome.response().statusCode()).isEqualTo(406);
    assertThat(presence.received).isEmpty();
  }

  @Test
  void handlerRefusalIsTheResponseAndNoNotifyFollows_rfc3856section6_6() throws Exception {
    presence.instead = (incoming, responder) -> responder.reject(403, "Forbidden");

    SubscribeOutcome outcome =
        await(subscriber.subscriptions().subscribe(SubscribeRequest.presence(JULIET, ROMEO)));

    assertThat(outcome.response().statusCode()).isEqualTo(403);
    assertThat(watcher.nextWithin(outcome.id(), Duration.ofMillis(300))).isNull();
  }

  @Test
  void immediateNotifyMustSayTerminatedWhenNoTimeIsGranted() throws Exception {
    BlockingQueue<RuntimeException> refused = new LinkedBlockingQueue<>();
    presence.instead =
        (incoming, responder) -> {
          try {
            responder.accept(incoming.expires().plusSeconds(1), OutgoingNotification.pending());
          } catch (IllegalArgumentException e) {
            refused.add(e);
          }
          try {
            responder.accept(Duration.ZERO, OutgoingNotification.active());
          } catch (IllegalArgumentException e) {
            refused.add(e);
          }
          responder.reject(480, "");
        };

    SubscribeOutcome outcome =
        await(subscriber.subscriptions().subscribe(SubscribeRequest.presence(JULIET, ROMEO)));

    assertThat(outcome.response().statusCode()).isEqualTo(480);
    assertThat(refused).hasSize(2);
  }

  @Test
  void activeSubscriptionDoesNotGoBackToPending() throws Exception {
    Subscribed s = subscribed();
    await(notifier.notifier().notify(s.notifierId(), OutgoingNotification.active()));

    assertThatThrownBy(
            () -> notifier.notifier().notify(s.notifierId(), OutgoingNotification.pending()))
        .isInstanceOf(IllegalStateException.class);
    BlockingQueue<RuntimeException> refused = new LinkedBlockingQueue<>();
    presence.instead =
        (incoming, responder) -> {
          try {
            responder.accept(incoming.expires(), OutgoingNotification.pending());
          } catch (IllegalStateException e) {
            refused.add(e);
            responder.reject(500, "");
          }
        };
    assertThat(
            await(subscriber.subscriptions().refresh(s.id(), Duration.ofSeconds(60)))
                .response()
                .statusCode())
        .isEqualTo(500);
    assertThat(refused).hasSize(1);
  }

  @Test
  void optionsAllowsTheMethodsOfEveryHandlerGiven_rfc6665section4_1_1() throws Exception {
    try (RawSip raw = new RawSip(RAW_HOST)) {
      raw.send(
          RawSip.request("OPTIONS", "sip:" + NOTIFIER_HOST.getHostAddress(), raw.port(), "", "")
              .replace("127.0.0.1", RAW_HOST.getHostAddress()),
          notifier.localAddress(SipTransport.UDP));

      RawSip.Received response = raw.receive(RawSip.Received::isResponse);
      assertThat(response.startLine()).isEqualTo("SIP/2.0 200 OK");
      assertThat(String.join(",", response.headers("Allow")))
          .contains("OPTIONS", "MESSAGE", "SUBSCRIBE")
          .doesNotContain("NOTIFY");
    }
  }

  // ---- the subscriber against a hand-written notifier ----

  @Test
  void unmatchedNotifyGets481_rfc6665section4_1_3() throws Exception {
    try (RawSip raw = new RawSip(SUBSCRIBER_HOST)) {
      raw.send(
          RawSip.request(
                  "NOTIFY",
                  "sip:" + SUBSCRIBER_HOST.getHostAddress(),
                  raw.port(),
                  "Event: presence\r\nSubscription-State: active;expires=60\r\n",
                  "")
              .replace("127.0.0.1", SUBSCRIBER_HOST.getHostAddress())
              .replace("To: <sip:gw@gw.example>", "To: <sip:gw@gw.example>;tag=nobody"),
          subscriber.localAddress(SipTransport.UDP));

      assertThat(raw.receive(RawSip.Received::isResponse).startLine()).startsWith("SIP/2.0 481 ");
    }
  }

  @Test
  void notifyForAnotherEventInTheDialogGets481_rfc6665section4_4_1() throws Exception {
    Subscribed s = subscribed();
    DialogState dialog = subscriber.subscriptions().dialogState(s.id()).orElseThrow();
    try (RawSip raw = new RawSip(SUBSCRIBER_HOST)) {
      String notify =
          "NOTIFY sip:"
              + SUBSCRIBER_HOST.getHostAddress()
              + " SIP/2.0\r\n"
              + "Via: SIP/2.0/UDP "
              + raw.hostPort()
              + ";branch=z9hG4bK-ev"
              + System.nanoTime()
              + "\r\n"
              + "Max-Forwards: 70\r\n"
              + "From: <"
              + JULIET
              + ">;tag="
              + dialog.remoteTag()
              + "\r\n"
              + "To: <"
              + ROMEO
              + ">;tag="
              + dialog.localTag()
              + "\r\n"
              + "Call-ID: "
              + dialog.callId()
              + "\r\n"
              + "CSeq: 1000 NOTIFY\r\n"
              + "Event: dialog\r\n"
              + "Subscription-State: active;expires=60\r\n"
              + "Contact: <sip:"
              + raw.hostPort()
              + ">\r\n"
              + "Content-Length: 0\r\n\r\n";

      raw.send(notify, subscriber.localAddress(SipTransport.UDP));

      assertThat(raw.receive(RawSip.Received::isResponse).startLine()).startsWith("SIP/2.0 481 ");
      assertThat(watcher.nextWithin(s.id(), Duration.ofMillis(200))).isNull();
    }
  }

  @Test
  void subscribeCarriesEventAcceptExpiresAndContact_rfc6665section4_1_2_1() throws Exception {
    CompletionStage<SubscribeOutcome> pending =
        viaRaw.subscriptions().subscribe(SubscribeRequest.presence(JULIET, ROMEO));

    RawSip.Received subscribe = nextSubscribe();
    assertThat(subscribe.startLine()).isEqualTo("SUBSCRIBE " + JULIET + " SIP/2.0");
    assertThat(subscribe.headers("Event")).containsExactly("presence");
    assertThat(subscribe.headers("Accept")).containsExactly("application/pidf+xml");
    assertThat(subscribe.headers("Expires")).containsExactly("3600"); // RFC 3856 §6.4
    assertThat(subscribe.headers("Contact"))
        .singleElement()
        .asString()
        .contains("sip:" + VIA_RAW_HOST.getHostAddress() + ":" + udpPort(viaRaw));
    assertThat(subscribe.headers("From")).singleElement().asString().contains(ROMEO, ";tag=");
    assertThat(subscribe.headers("To")).singleElement().asString().doesNotContain("tag=");
    assertThat(subscribe.headers("Route")).isEmpty(); // COMPAT: Kamailio refuses preloaded routes
    rawNotifier.answer(subscribe, 404, "Not Found");
    assertThat(await(pending).response().statusCode()).isEqualTo(404);
  }

  @Test
  void notifyBeforeThe2xxIsDeliveredAnd202CountsAs200_rfc6665section4_1_2_4() throws Exception {
    CompletionStage<SubscribeOutcome> pending =
        viaRaw.subscriptions().subscribe(SubscribeRequest.presence(JULIET, ROMEO));
    RawSip.Received subscribe = nextSubscribe();

    rawNotifier.send(
        rawNotify(
            subscribe,
            rawNotifier,
            "active;expires=60",
            "Record-Route: <sip:" + RAW_HOST.getHostAddress() + ":5999;lr>\r\n",
            PIDF),
        viaRaw.localAddress(SipTransport.UDP));
    RawSip.Received notifyAnswer =
        rawNotifier.receive(r -> r.isResponse() && r.cseqMethod().equals("NOTIFY"));
    rawNotifier.answer(
        subscribe,
        202,
        "Accepted",
        "Expires: 60\r\nContact: <sip:elsewhere@" + RAW_HOST.getHostAddress() + ":5998>\r\n");
    SubscribeOutcome outcome = await(pending);

    assertThat(notifyAnswer.startLine()).isEqualTo("SIP/2.0 200 OK");
    assertThat(outcome.response().statusCode()).isEqualTo(202);
    assertThat(outcome.isSuccess()).isTrue();
    assertThat(outcome.alive()).isTrue();
    assertThat(outcome.expires()).contains(Duration.ofSeconds(60));
    Notification early = watcher.next(outcome.id());
    assertThat(early.state()).isEqualTo(SubscriptionState.ACTIVE);
    assertThat(early.body()).isEqualTo(PIDF);
    DialogState dialog = outcome.dialog().orElseThrow();
    assertThat(dialog.remoteTag()).isEqualTo("raw2");
    // The NOTIFY made the dialog: its Record-Route as received, its Contact as remote target.
    assertThat(dialog.routeSet()).containsExactly("sip:" + RAW_HOST.getHostAddress() + ":5999;lr");
    assertThat(dialog.remoteTarget()).isEqualTo("sip:raw@" + rawNotifier.hostPort());
  }

  @Test
  void noNotifyWithinTimerNEndsTheSubscription_rfc6665section4_1_2_4() throws Exception {
    long start = System.nanoTime();
    CompletionStage<SubscribeOutcome> pending =
        viaRaw.subscriptions().subscribe(SubscribeRequest.presence(JULIET, ROMEO));
    RawSip.Received subscribe = nextSubscribe();
    rawNotifier.answer(
        subscribe, 200, "OK", "Expires: 3600\r\nContact: <sip:" + rawNotifier.hostPort() + ">\r\n");
    SubscribeOutcome outcome = await(pending);
    assertThat(outcome.alive()).isTrue();

    assertThat(watcher.endWithin(outcome.id(), Duration.ofSeconds(5)))
        .isEqualTo(SubscriptionEnd.NO_NOTIFY);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(TIMER_N.minusMillis(50));
    assertThat(viaRaw.subscriptions().dialogState(outcome.id())).isEmpty();
  }

  // ---- the notifier against a hand-written proxy ----

  @Test
  void notifyFollowsTheRecordRouteToTheSubscribersContact_rfc3261section12_2_1_1()
      throws Exception {
    try (RawSip proxy = new RawSip(RAW_HOST)) {
      String route = "sip:" + proxy.hostPort() + ";lr";
      proxy.send(
          rawSubscribe(proxy, "Event: presence\r\nRecord-Route: <" + route + ">\r\n", 600),
          notifier.localAddress(SipTransport.UDP));

      RawSip.Received ok = proxy.receive(r -> r.isResponse() && r.cseqMethod().equals("SUBSCRIBE"));
      RawSip.Received notify = proxy.receive(r -> !r.isResponse());
      proxy.answer(notify, 200, "OK");

      assertThat(ok.startLine()).isEqualTo("SIP/2.0 200 OK");
      assertThat(ok.headers("Record-Route")).containsExactly("<" + route + ">");
      assertThat(ok.headers("Expires")).containsExactly("600");
      assertThat(ok.headers("Contact"))
          .singleElement()
          .asString()
          .contains("sip:" + NOTIFIER_HOST.getHostAddress() + ":" + udpPort(notifier));
      String tag = ok.param("To", "tag");
      assertThat(tag).isNotBlank();
      assertThat(notify.startLine()).isEqualTo("NOTIFY sip:watcher@127.0.0.69:5099 SIP/2.0");
      assertThat(notify.headers("Route")).containsExactly("<" + route + ">");
      assertThat(notify.param("From", "tag")).isEqualTo(tag);
      assertThat(notify.param("To", "tag")).isEqualTo("w1");
      assertThat(notify.headers("Call-ID")).isEqualTo(ok.headers("Call-ID"));
      assertThat(notify.headers("Event")).containsExactly("presence");
      assertThat(notify.headers("Subscription-State"))
          .singleElement()
          .asString()
          .matches("pending;expires=(600|59\\d)");
      assertThat(notify.headers("Contact")).isNotEmpty();
      assertThat(notify.headers("Max-Forwards")).containsExactly("70");
    }
  }

  // ---- a persisted dialog after a restart ----

  @Test
  void resumeAfterARestartRefreshesThePersistedDialog() throws Exception {
    int port = FreePorts.udpAndTcp(RESTARTING_HOST);
    SipEndpoint before = SipEndpoint.start(subscriberSettings(port, RESTARTING_HOST), watching());
    SubscribeOutcome outcome;
    try {
      outcome = await(before.subscriptions().subscribe(SubscribeRequest.presence(JULIET, ROMEO)));
      watcher.next(outcome.id());
    } finally {
      before.close();
    }
    DialogState persisted = outcome.dialog().orElseThrow();
    SipEndpoint after = startOwn(subscriberSettings(port, RESTARTING_HOST), watching());

    SubscribeOutcome resumed =
        await(after.subscriptions().resume(persisted, Duration.ofSeconds(300)));

    assertThat(resumed.response().statusCode()).isEqualTo(200);
    assertThat(resumed.alive()).isTrue();
    assertThat(resumed.id()).isEqualTo(outcome.id());
    assertThat(resumed.dialog().orElseThrow().localCseq()).isEqualTo(persisted.localCseq() + 1);
    assertThat(presence.next().kind()).isEqualTo(IncomingSubscription.Kind.NEW);
    assertThat(presence.next().kind()).isEqualTo(IncomingSubscription.Kind.REFRESH);
    assertThat(watcher.next(outcome.id()).state()).isEqualTo(SubscriptionState.ACTIVE);
  }

  @Test
  void resumeOfADialogTheNotifierDroppedReports481_rfc6665section4_2_2() throws Exception {
    int port = FreePorts.udpAndTcp(RESTARTING_HOST);
    SipEndpoint before = SipEndpoint.start(subscriberSettings(port, RESTARTING_HOST), watching());
    SubscribeOutcome outcome;
    try {
      outcome = await(before.subscriptions().subscribe(SubscribeRequest.presence(JULIET, ROMEO)));
      watcher.next(outcome.id());
    } finally {
      before.close();
    }
    SubscriptionId atNotifier = presence.next().id();
    // While the subscriber is down, a NOTIFY goes unanswered: the notifier drops the subscription.
    assertThat(
            failure(notifier.notifier().notify(atNotifier, OutgoingNotification.active())).reason())
        .isIn(SipSendException.Reason.TIMEOUT, SipSendException.Reason.TRANSPORT);
    assertThat(presence.nextEnd(atNotifier)).isEqualTo(SubscriptionEnd.UNREACHABLE);
    SipEndpoint after = startOwn(subscriberSettings(port, RESTARTING_HOST), watching());

    SubscribeOutcome resumed =
        await(
            after.subscriptions().resume(outcome.dialog().orElseThrow(), Duration.ofSeconds(300)));

    assertThat(resumed.response().statusCode()).isEqualTo(481);
    assertThat(resumed.alive()).isFalse();
    assertThat(after.subscriptions().dialogState(outcome.id())).isEmpty();
  }

  // ---- helpers ----

  /**
   * The next SUBSCRIBE at {@link #rawNotifier} of a Call-ID not seen before: retransmissions of
   * earlier tests' requests (T1 is short) are skipped.
   */
  private RawSip.Received nextSubscribe() throws IOException {
    return rawNotifier.receive(
        r ->
            !r.isResponse()
                && r.startLine().startsWith("SUBSCRIBE ")
                && rawCallIds.add(r.headers("Call-ID").get(0)));
  }

  /** A subscription from {@link #subscriber} to Juliet, its immediate NOTIFY taken. */
  private record Subscribed(SubscriptionId id, SubscriptionId notifierId) {}

  private Subscribed subscribed() throws Exception {
    SubscribeOutcome outcome =
        await(subscriber.subscriptions().subscribe(SubscribeRequest.presence(JULIET, ROMEO)));
    assertThat(outcome.alive()).isTrue();
    SubscriptionId atNotifier = presence.next().id();
    assertThat(watcher.next(outcome.id()).state()).isEqualTo(SubscriptionState.PENDING);
    return new Subscribed(outcome.id(), atNotifier);
  }

  private SipSettings subscriberSettings(int port, InetAddress host) {
    return SipSettings.builder(host)
        .udp(port)
        .tcp(port)
        .t1(T1)
        .domains("gw.example")
        .outboundProxy(
            SipServerAddress.parse(NOTIFIER_HOST.getHostAddress() + ":" + udpPort(notifier)))
        .build();
  }

  private SipHandlers watching() {
    return SipHandlers.builder().notifications(watcher).build();
  }

  private SipEndpoint startOwn(SipSettings settings, SipHandlers handlers) throws IOException {
    SipEndpoint endpoint = SipEndpoint.start(settings, handlers);
    perTest.add(endpoint);
    return endpoint;
  }

  private static SipSettings.Builder settings(InetAddress host) {
    int port = FreePorts.udpAndTcp(host);
    return SipSettings.builder(host).udp(port).tcp(port).t1(T1);
  }

  private static int udpPort(SipEndpoint endpoint) {
    return endpoint.localAddress(SipTransport.UDP).getPort();
  }

  /** A SUBSCRIBE from a watcher behind {@code from} to Juliet, Contact sip:watcher@127.0.0.69. */
  private static String rawSubscribe(RawSip from, String extraHeaders, int expires) {
    return "SUBSCRIBE "
        + JULIET
        + " SIP/2.0\r\n"
        + "Via: SIP/2.0/UDP "
        + from.hostPort()
        + ";branch=z9hG4bK-s"
        + System.nanoTime()
        + "\r\n"
        + "Max-Forwards: 70\r\n"
        + "From: <sip:watcher@sip.test>;tag=w1\r\n"
        + "To: <"
        + JULIET
        + ">\r\n"
        + "Call-ID: raw-sub-"
        + System.nanoTime()
        + "\r\n"
        + "CSeq: 7 SUBSCRIBE\r\n"
        + "Contact: <sip:watcher@127.0.0.69:5099>\r\n"
        + "Accept: application/pidf+xml\r\n"
        + "Expires: "
        + expires
        + "\r\n"
        + extraHeaders
        + "Content-Length: 0\r\n\r\n";
  }

  /** A NOTIFY answering {@code subscribe} in the dialog its 2xx will make (our tag "raw2"). */
  private static String rawNotify(
      RawSip.Received subscribe, RawSip from, String state, String extraHeaders, String body) {
    String contact = subscribe.headers("Contact").get(0);
    String target = contact.substring(contact.indexOf('<') + 1, contact.indexOf('>'));
    String to = subscribe.headers("To").get(0);
    int bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    return "NOTIFY "
        + target
        + " SIP/2.0\r\n"
        + "Via: SIP/2.0/UDP "
        + from.hostPort()
        + ";branch=z9hG4bK-n"
        + System.nanoTime()
        + "\r\n"
        + "Max-Forwards: 70\r\n"
        + "From: "
        + to
        + ";tag=raw2\r\n"
        + "To: "
        + subscribe.headers("From").get(0)
        + "\r\n"
        + "Call-ID: "
        + subscribe.headers("Call-ID").get(0)
        + "\r\n"
        + "CSeq: 1 NOTIFY\r\n"
        + "Event: presence\r\n"
        + "Subscription-State: "
        + state
        + "\r\n"
        + "Contact: <sip:raw@"
        + from.hostPort()
        + ">\r\n"
        + extraHeaders
        + (body.isEmpty() ? "" : "Content-Type: application/pidf+xml\r\n")
        + "Content-Length: "
        + bytes
        + "\r\n\r\n"
        + body;
  }

  private static void awaitGone(SubscriptionClient client, SubscriptionId id)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (client.dialogState(id).isPresent() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(client.dialogState(id)).as("subscription %s forgotten", id).isEmpty();
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static SipSendException failure(CompletionStage<?> stage) throws Exception {
    try {
      Object result = stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + result);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(SipSendException.class);
      return (SipSendException) e.getCause();
    }
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  /**
   * The notifier's application: keeps every SUBSCRIBE; grants at most {@link #maxExpires}; pending
   * first, active with PIDF on refresh, terminated with a closed PIDF for unsubscribe and poll.
   */
  private static final class Presence implements SubscriptionHandler {
    final BlockingQueue<IncomingSubscription> received = new LinkedBlockingQueue<>();
    final BlockingQueue<Map.Entry<SubscriptionId, SubscriptionEnd>> ended =
        new LinkedBlockingQueue<>();
    volatile Duration maxExpires;
    volatile java.util.function.BiConsumer<IncomingSubscription, SubscriptionResponder> instead;

    void reset() {
      received.clear();
      ended.clear();
      maxExpires = Duration.ofHours(1);
      instead = null;
    }

    @Override
    public void onSubscribe(IncomingSubscription s, SubscriptionResponder responder) {
      received.add(s);
      if (instead != null) {
        instead.accept(s, responder);
        return;
      }
      Duration granted = s.expires().compareTo(maxExpires) < 0 ? s.expires() : maxExpires;
      switch (s.kind()) {
        case NEW -> responder.accept(granted, OutgoingNotification.pending());
        case REFRESH ->
            responder.accept(granted, OutgoingNotification.active(SubscribeRequest.PIDF, PIDF));
        case UNSUBSCRIBE, POLL ->
            responder.accept(
                Duration.ZERO,
                OutgoingNotification.terminated(
                    TerminationReason.TIMEOUT, SubscribeRequest.PIDF, CLOSED_PIDF));
      }
    }

    @Override
    public void onEnded(SubscriptionId id, SubscriptionEnd end) {
      ended.add(Map.entry(id, end));
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

  /** The subscriber's application: keeps NOTIFYs and ends, per subscription. */
  private static final class Watcher implements NotificationListener {
    final BlockingQueue<Notification> notifications = new LinkedBlockingQueue<>();
    final BlockingQueue<Map.Entry<SubscriptionId, SubscriptionEnd>> ended =
        new LinkedBlockingQueue<>();

    void reset() {
      notifications.clear();
      ended.clear();
    }

    @Override
    public void onNotification(Notification notification) {
      notifications.add(notification);
    }

    @Override
    public void onEnded(SubscriptionId id, SubscriptionEnd end) {
      ended.add(Map.entry(id, end));
    }

    Notification next(SubscriptionId id) throws InterruptedException {
      Notification n = nextWithin(id, Duration.ofSeconds(5));
      assertThat(n).as("a NOTIFY for %s", id).isNotNull();
      return n;
    }

    /** The next notification of {@code id} within {@code timeout}; others are dropped. */
    Notification nextWithin(SubscriptionId id, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        Notification n = notifications.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (n != null && n.subscription().equals(id)) {
          return n;
        }
      }
      return null;
    }

    SubscriptionEnd endWithin(SubscriptionId id, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        Map.Entry<SubscriptionId, SubscriptionEnd> e =
            ended.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (e != null && e.getKey().equals(id)) {
          return e.getValue();
        }
      }
      return null;
    }
  }
}
