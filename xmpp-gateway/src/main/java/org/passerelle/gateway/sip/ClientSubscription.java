package org.passerelle.gateway.sip;

import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.passerelle.gateway.timers.Deadlines;

/**
 * One subscription we made (RFC 6665 §4.1): its dialog, its {@link SubscriberState} and its timers.
 * Every method holds the object's lock, so a NOTIFY and the 2xx it may overtake are applied one
 * after the other. {@link Subscriber} sends, schedules and reports.
 */
final class ClientSubscription {

  /** What became of a received NOTIFY. */
  enum NotifyVerdict {
    /** It belongs here and was applied: answer 200. */
    ACCEPTED,
    /**
     * From another dialog of a forked SUBSCRIBE or after the end: 481 (RFC 6665 §4.1.3, §4.4.1).
     */
    NO_SUCH_DIALOG,
    /** Its CSeq is below the last one: 500 (RFC 3261 §12.2.2). */
    OUT_OF_ORDER
  }

  private final EventDialog dialog;
  private SubscriberState state = SubscriberState.NOTIFY_WAIT;
  private ScheduledFuture<?> timerN;

  /** When we end the subscription unless refreshed or notified, in its {@link Deadlines}' time. */
  private long expiryDue;

  /** Whether {@link #expiryDue} still holds. */
  private boolean expiryArmed;

  ClientSubscription(EventDialog dialog) {
    this.dialog = dialog;
  }

  SubscriptionId id() {
    return dialog.id();
  }

  String event() {
    return dialog.event();
  }

  synchronized SubscriberState state() {
    return state;
  }

  synchronized boolean isLive() {
    return state.isLive();
  }

  synchronized Optional<DialogState> snapshot() {
    return dialog.snapshot();
  }

  /**
   * Applies the final response to the initial SUBSCRIBE or a fetch (RFC 6665 §4.1.2.1): a 2xx
   * completes the dialog unless a NOTIFY did first (route set from its Record-Route reversed, RFC
   * 3261 §12.1.2; remote target from its Contact, else the Request-URI); any other ends it.
   */
  synchronized SubscribeOutcome onInitialResponse(Response response, Duration requested) {
    if (!EventRequests.isSuccess(response)) {
      end();
      return outcome(response, Optional.empty());
    }
    String tag = EventRequests.toTag(response).orElse("");
    List<String> routes = new ArrayList<>(EventRequests.recordRoute(response));
    Collections.reverse(routes);
    dialog.establish(tag, routes, EventRequests.contactUri(response).orElse(dialog.remoteUri()));
    return outcome(response, Optional.of(granted(response, requested)));
  }

  /**
   * Applies the final response to a refresh (RFC 6665 §4.1.2.2): a 2xx refreshes the remote target
   * and the expiry; a code that ends dialogs ends the subscription; others leave it as it was.
   */
  synchronized SubscribeOutcome onRefreshResponse(Response response, Duration requested) {
    if (EventRequests.isSuccess(response)) {
      EventRequests.contactUri(response).ifPresent(dialog::refreshTarget);
      Duration granted = granted(response, requested);
      if (granted.isZero() && state.isLive()) {
        // The notifier shortened it to nothing: the terminated NOTIFY follows (RFC 6665 §4.1.2.2).
        state = state.onUnsubscribe();
      }
      return outcome(response, Optional.of(granted));
    }
    if (EventRequests.endsDialog(response.getStatusCode())) {
      end();
    }
    return outcome(response, Optional.empty());
  }

  /** Applies the final response to our unsubscribe; the subscription is over for the caller. */
  synchronized SubscribeOutcome onUnsubscribeResponse(Response response) {
    if (!EventRequests.isSuccess(response)) {
      end();
      return outcome(response, Optional.empty());
    }
    return outcome(response, Optional.of(Duration.ZERO));
  }

  /**
   * Applies a NOTIFY that matched by Call-ID, our tag and event (RFC 6665 §4.4.1): checks the
   * notifier's tag and CSeq, completes the dialog if it came before the 2xx (route set from its
   * Record-Route as received, RFC 3261 §12.1.1), takes its Contact as the new remote target and
   * moves the state.
   */
  synchronized NotifyVerdict onNotify(Request notify, SubscriptionState received) {
    if (!state.isLive()) {
      return NotifyVerdict.NO_SUCH_DIALOG;
    }
    String fromTag = EventRequests.fromTag(notify).orElse("");
    Optional<String> known = dialog.remoteTag();
    if (known.isPresent() && !known.get().equals(fromTag)) {
      // A second dialog from a forked SUBSCRIBE (RFC 6665 §4.1.2.4) is not supported: its notifier
      // learns so from the 481 and ends it.
      return NotifyVerdict.NO_SUCH_DIALOG;
    }
    if (!dialog.acceptRemoteCseq(EventRequests.cseq(notify))) {
      return NotifyVerdict.OUT_OF_ORDER;
    }
    Optional<String> contact = EventRequests.contactUri(notify);
    dialog.establish(
        fromTag, EventRequests.recordRoute(notify), contact.orElse(dialog.remoteUri()));
    contact.ifPresent(dialog::refreshTarget);
    SubscriberState before = state;
    state = state.onNotify(received);
    if (before == SubscriberState.NOTIFY_WAIT || !state.isLive()) {
      cancel(timerN);
    }
    if (!state.isLive()) {
      expiryArmed = false;
    }
    return NotifyVerdict.ACCEPTED;
  }

  /** A refresh in the dialog, its CSeq taken (RFC 6665 §4.1.2.2). */
  synchronized Request buildRefresh(EventRequests requests, Duration expires)
      throws ParseException {
    requireUsable("refresh");
    return requests.subscribe(dialog, expires);
  }

  /** An unsubscribe in the dialog (RFC 6665 §4.1.2.3); the state moves to unsubscribing. */
  synchronized Request buildUnsubscribe(EventRequests requests) throws ParseException {
    requireUsable("unsubscribe from");
    Request request = requests.subscribe(dialog, Duration.ZERO);
    state = state.onUnsubscribe();
    expiryArmed = false;
    return request;
  }

  /** Sets Timer N (RFC 6665 §4.1.2.4), replacing any earlier one. */
  synchronized void setTimerN(ScheduledFuture<?> timer) {
    cancel(timerN);
    timerN = timer;
  }

  /**
   * Ends the subscription {@code delay} from now unless set again, replacing any earlier expiry.
   */
  synchronized void setExpiry(Duration delay, Deadlines<ClientSubscription> deadlines) {
    expiryDue = deadlines.add(this, delay);
    expiryArmed = true;
  }

  /**
   * Timer N fired: if no NOTIFY came, the subscription failed (RFC 6665 §4.1.2.4).
   *
   * @return whether to report it: true unless we were unsubscribing anyway
   */
  synchronized boolean onTimerN() {
    if (state == SubscriberState.NOTIFY_WAIT) {
      end();
      return true;
    }
    if (state == SubscriberState.UNSUBSCRIBING) {
      end();
    }
    return false;
  }

  /**
   * The subscription was handed over as due at {@code now}: ends it if its current expiry has
   * passed (a stale one, replaced since, changes nothing).
   *
   * @return whether it ended now
   */
  synchronized boolean onExpiryDue(long now) {
    if (!state.isLive() || !expiryArmed || expiryDue > now) {
      return false;
    }
    end();
    return true;
  }

  /** Ends the subscription and stops its timers. */
  synchronized void end() {
    state = state.onEnd();
    cancel(timerN);
    expiryArmed = false;
  }

  private void requireUsable(String what) {
    if (!state.isLive() || state == SubscriberState.UNSUBSCRIBING || !dialog.established()) {
      throw new IllegalStateException(
          "cannot " + what + " " + dialog.id() + " in state " + state + " (dialog incomplete?)");
    }
  }

  private SubscribeOutcome outcome(Response response, Optional<Duration> granted) {
    // A failure that does not end the dialog leaves the subscription as it was (§4.1.2.2).
    boolean alive =
        state.isLive()
            && state != SubscriberState.UNSUBSCRIBING
            && granted.map(g -> !g.isZero()).orElse(true);
    return new SubscribeOutcome(
        dialog.id(), ClientTransactions.info(response), granted, alive, dialog.snapshot());
  }

  /**
   * The expiry of a 2xx: its Expires, at most the one asked for (RFC 6665 §4.2.1.1 forbids more);
   * the one asked for if it has none.
   */
  private static Duration granted(Response response, Duration requested) {
    return EventRequests.expires(response).isPresent()
        ? Duration.ofSeconds(
            Math.min(EventRequests.expires(response).getAsInt(), requested.toSeconds()))
        : requested;
  }

  private static void cancel(ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }
}
