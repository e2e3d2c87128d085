package org.passerelle.gateway.sip;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * One subscription we accepted (RFC 6665 §4.2): its dialog, its {@link NotifierState}, its expiry
 * and the queue of its NOTIFYs, which leave one at a time so that they arrive in order. Every
 * method holds the object's lock; {@link Notifier} sends, schedules and reports.
 */
final class ServerSubscription {

  /** What to make of a SUBSCRIBE that names this dialog. */
  enum RequestVerdict {
    IN_DIALOG,
    /** Another From tag, or the subscription is over: 481 (RFC 6665 §4.2.1.2). */
    NO_SUCH_DIALOG,
    /** Its CSeq is below the last one: 500 (RFC 3261 §12.2.2). */
    OUT_OF_ORDER
  }

  /** Sends one NOTIFY once the previous one is done. */
  @FunctionalInterface
  interface Transmitter {
    CompletableFuture<Response> transmit(ServerSubscription subscription, OutgoingNotification n);
  }

  private static final CompletableFuture<?> NONE_PENDING = CompletableFuture.completedFuture(null);

  private final EventDialog dialog;
  private NotifierState state = NotifierState.ACCEPTED;
  private Instant expiresAt = Instant.now();
  private long expiryGeneration;
  private ScheduledFuture<?> expiryTimer;

  /** Until it completes, the NOTIFY the next one waits for; then {@link #NONE_PENDING}. */
  private CompletableFuture<?> lastNotify = NONE_PENDING;

  ServerSubscription(EventDialog dialog) {
    this.dialog = dialog;
  }

  SubscriptionId id() {
    return dialog.id();
  }

  synchronized NotifierState state() {
    return state;
  }

  synchronized Optional<DialogState> snapshot() {
    return dialog.snapshot();
  }

  /** Checks a SUBSCRIBE in this dialog: the subscriber's tag and CSeq (RFC 3261 §12.2.2). */
  synchronized RequestVerdict check(Request subscribe) {
    if (state == NotifierState.TERMINATED
        || !dialog.remoteTag().equals(EventRequests.fromTag(subscribe))) {
      return RequestVerdict.NO_SUCH_DIALOG;
    }
    return dialog.acceptRemoteCseq(EventRequests.cseq(subscribe))
        ? RequestVerdict.IN_DIALOG
        : RequestVerdict.OUT_OF_ORDER;
  }

  /** A refresh was accepted: its Contact is the new remote target (RFC 6665 §4.2.1). */
  synchronized void refreshTarget(String contact) {
    dialog.refreshTarget(contact);
  }

  /** Schedules the check of an expiry; the generation tells a stale timer from the current one. */
  @FunctionalInterface
  interface ExpiryScheduler {
    ScheduledFuture<?> schedule(long generation, Duration delay);
  }

  /** Records the expiry granted now and schedules its check, replacing any earlier one. */
  synchronized void setExpiry(Duration granted, ExpiryScheduler scheduler) {
    cancelExpiry();
    expiresAt = Instant.now().plus(granted);
    expiryTimer = scheduler.schedule(++expiryGeneration, granted);
  }

  /**
   * The expiry timer of {@code generation} fired: true if no refresh came since and the
   * subscription still runs (RFC 6665 §4.2.1.4), so a {@code timeout} NOTIFY is due.
   */
  synchronized boolean expire(long generation) {
    return generation == expiryGeneration && state != NotifierState.TERMINATED;
  }

  /**
   * Checks that a NOTIFY saying {@code next} may be sent now, without sending it.
   *
   * @throws IllegalStateException if not ({@link NotifierState#onNotify})
   */
  synchronized void requireCanNotify(SubscriptionState next) {
    state.onNotify(next);
  }

  /**
   * Queues a NOTIFY behind the previous one and moves the state.
   *
   * @throws IllegalStateException if the state cannot move that way ({@link NotifierState})
   */
  synchronized CompletableFuture<Response> enqueue(
      OutgoingNotification notification, Transmitter transmitter) {
    state = state.onNotify(notification.state());
    if (state == NotifierState.TERMINATED) {
      cancelExpiry();
    }
    CompletableFuture<Response> next =
        lastNotify
            .handle((response, error) -> null)
            .thenCompose(ignored -> transmitter.transmit(this, notification));
    lastNotify = next;
    // Not kept once answered: the parsed response (~1 KiB) would stay for the dialog's life.
    next.whenComplete((response, error) -> forget(next));
    return next;
  }

  private synchronized void forget(CompletableFuture<?> done) {
    if (lastNotify == done) {
      lastNotify = NONE_PENDING;
    }
  }

  /** The NOTIFY to send now, its CSeq taken, with the whole seconds left (RFC 6665 §4.2.2). */
  synchronized Request buildNotify(EventRequests requests, OutgoingNotification notification)
      throws ParseException {
    long left = Math.max(0, Duration.between(Instant.now(), expiresAt).toSeconds());
    return requests.notify(dialog, notification, left);
  }

  /**
   * Ends the subscription (unreachable subscriber, refused refresh).
   *
   * @return whether it was still running
   */
  synchronized boolean end() {
    boolean wasRunning = state != NotifierState.TERMINATED;
    state = state.onEnd();
    cancelExpiry();
    return wasRunning;
  }

  private void cancelExpiry() {
    if (expiryTimer != null) {
      expiryTimer.cancel(false);
      expiryTimer = null;
    }
  }
}
