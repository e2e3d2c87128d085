package org.passerelle.gateway.subscriptions;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.passerelle.gateway.sip.DialogState;
import org.passerelle.gateway.sip.OutgoingNotification;
import org.passerelle.gateway.sip.SipResponseInfo;
import org.passerelle.gateway.sip.SubscribeOutcome;
import org.passerelle.gateway.sip.SubscribeRequest;
import org.passerelle.gateway.sip.SubscriptionClient;
import org.passerelle.gateway.sip.SubscriptionId;
import org.passerelle.gateway.sip.SubscriptionNotifier;

/**
 * Both SIP subscription roles, recording what the bridge asks for; the test answers each request.
 * The real adapter is tested against real endpoints and Kamailio; this one lets the flows be driven
 * step by step.
 */
final class FakeSip {

  /** One request the bridge made as subscriber. */
  record Sent(
      String kind,
      SubscriptionId id,
      SubscribeRequest request,
      Duration expires,
      CompletableFuture<SubscribeOutcome> outcome) {

    /** Answers it as the SIP side would. */
    void answer(int status, Duration granted) {
      outcome.complete(
          new SubscribeOutcome(
              id,
              new SipResponseInfo(status, "", id.callId(), List.of(), Optional.empty()),
              status < 300 ? Optional.of(granted) : Optional.empty(),
              status < 300 && !granted.isZero(),
              status < 300 ? Optional.of(dialog(id, "sip:alice@sip.test")) : Optional.empty()));
    }
  }

  /** One NOTIFY the bridge sent as notifier. */
  record Notified(SubscriptionId id, OutgoingNotification notification) {}

  private final AtomicInteger ids = new AtomicInteger();
  private final BlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
  private final BlockingQueue<Notified> notified = new LinkedBlockingQueue<>();
  private final Map<SubscriptionId, DialogState> accepted = new ConcurrentHashMap<>();
  private final Map<SubscriptionId, DialogState> resumed = new ConcurrentHashMap<>();

  static DialogState dialog(SubscriptionId id, String localUri) {
    return new DialogState(
        id.callId(),
        localUri,
        id.localTag(),
        "sip:peer@sip.test",
        "remote-" + id.localTag(),
        1,
        OptionalLong.of(1),
        List.of("sip:127.0.0.1;lr"),
        "sip:peer@127.0.0.1:5060",
        SubscribeRequest.PRESENCE,
        List.of(SubscribeRequest.PIDF));
  }

  Sent nextSent() throws InterruptedException {
    Sent next = sent.poll(5, TimeUnit.SECONDS);
    if (next == null) {
      throw new AssertionError("the bridge sent no SUBSCRIBE");
    }
    return next;
  }

  Sent pollSent(Duration wait) throws InterruptedException {
    return sent.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  Notified nextNotify() throws InterruptedException {
    Notified next = notified.poll(5, TimeUnit.SECONDS);
    if (next == null) {
      throw new AssertionError("the bridge sent no NOTIFY");
    }
    return next;
  }

  Notified pollNotify(Duration wait) throws InterruptedException {
    return notified.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Marks a SUBSCRIBE the test hands to the bridge as accepted, as the adapter would. */
  void accepted(SubscriptionId id) {
    accepted.put(id, dialog(id, "sip:bob@xmpp.test"));
  }

  Map<SubscriptionId, DialogState> resumed() {
    return resumed;
  }

  /** The subscriber role. */
  final SubscriptionClient client =
      new SubscriptionClient() {

        @Override
        public SubscriptionId newSubscriptionId() {
          return new SubscriptionId("call-" + ids.incrementAndGet(), "tag-" + ids.get());
        }

        @Override
        public CompletionStage<SubscribeOutcome> subscribe(
            SubscriptionId id, SubscribeRequest request) {
          return record("subscribe", id, request, request.expires());
        }

        @Override
        public CompletionStage<SubscribeOutcome> fetch(
            SubscriptionId id, SubscribeRequest request) {
          return record("fetch", id, request, Duration.ZERO);
        }

        @Override
        public CompletionStage<SubscribeOutcome> refresh(SubscriptionId id, Duration expires) {
          return record("refresh", id, null, expires);
        }

        @Override
        public CompletionStage<SubscribeOutcome> unsubscribe(SubscriptionId id) {
          return record("unsubscribe", id, null, Duration.ZERO);
        }

        @Override
        public CompletionStage<SubscribeOutcome> resume(DialogState dialog, Duration expires) {
          return record("resume", dialog.id(), null, expires);
        }

        @Override
        public Optional<DialogState> dialogState(SubscriptionId id) {
          return Optional.of(dialog(id, "sip:alice@sip.test"));
        }

        private CompletionStage<SubscribeOutcome> record(
            String kind, SubscriptionId id, SubscribeRequest request, Duration expires) {
          CompletableFuture<SubscribeOutcome> outcome = new CompletableFuture<>();
          sent.add(new Sent(kind, id, request, expires, outcome));
          return outcome;
        }
      };

  /** The notifier role. */
  final SubscriptionNotifier notifier =
      new SubscriptionNotifier() {

        @Override
        public CompletionStage<SipResponseInfo> notify(
            SubscriptionId id, OutgoingNotification notification) {
          notified.add(new Notified(id, notification));
          return CompletableFuture.completedFuture(
              new SipResponseInfo(200, "OK", id.callId(), List.of(), Optional.empty()));
        }

        @Override
        public SubscriptionId resume(DialogState dialog, Duration remaining) {
          resumed.put(dialog.id(), dialog);
          return dialog.id();
        }

        @Override
        public Optional<DialogState> dialogState(SubscriptionId id) {
          return Optional.ofNullable(accepted.get(id))
              .or(() -> Optional.ofNullable(resumed.get(id)));
        }
      };
}
