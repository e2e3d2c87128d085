package org.passerelle.gateway.sip;

import java.text.ParseException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.passerelle.gateway.timers.Deadlines;

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

  /** When the subscription expires, in the time of its {@link Deadlines}. */
  private long expiresAt;

  /** Whether {@link #expiresAt} still ends the subscription: not refreshed to 0, not ended. */
  private boolean expiryArmed;

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

  /** Records the expiry granted now, replacing any earlier one. */
  synchronized void setExpiry(Duration granted, Deadlines<ServerSubscription> deadlines) {
    expiresAt = deadlines.add(this, granted);
    expiryArmed = true;
  }

  /**
   * The subscription was handed over as due at {@code now}: true, once, if its current expiry has
   * passed and it still runs (RFC 6665 §4.2.1.4), so a {@code timeout} NOTIFY is due; false for an
   * expiry a refresh replaced.
   */
  synchronized boolean expire(long now) {
    if (!expiryArmed || expiresAt > now || state == NotifierState.TERMINATED) {
      return false;
    }
    expiryArmed = false;
    return true;
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

  /**
   * The NOTIFY to send at {@code now} (the time of its {@link Deadlines}), its CSeq taken, with the
   * whole seconds left (RFC 6665 §4.2.2).
   */
  synchronized Request buildNotify(
      EventRequests requests, OutgoingNotification notification, long now) throws ParseException {
    long left = Math.max(0, (expiresAt - now) / 1000);
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
    expiryArmed = false;
  }
}
