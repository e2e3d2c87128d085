package org.passerelle.gateway.sip;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The subscriber role (RFC 6665 §4.1): subscriptions this endpoint makes, e.g. to the presence of a
 * SIP user for an XMPP contact (RFC 8048 §5.2). Their NOTIFYs go to the {@link
 * NotificationListener} given in {@link SipHandlers}. Initial SUBSCRIBEs go to the outbound proxy
 * like MESSAGE; requests inside a dialog follow its route set (RFC 3261 §12.2.1.1).
 *
 * <p>Each stage fails with a {@link SipSendException} when no final response came (a refresh that
 * timed out leaves the subscription as it was, RFC 6665 §4.1.2.2), or with reason {@code
 * NO_SUBSCRIPTION} for a subscription that does not exist (any more).
 */
public interface SubscriptionClient {

  /**
   * Sends an initial SUBSCRIBE (RFC 6665 §4.1.2.1). The subscription exists from now on: a NOTIFY
   * may come before the 2xx (§4.1.2.4). If no NOTIFY comes within Timer N the listener hears {@link
   * SubscriptionEnd#NO_NOTIFY}.
   *
   * @throws IllegalArgumentException if the request's expiry is zero (see {@link #fetch})
   * @throws IllegalStateException if no {@link NotificationListener} was given
   */
  default CompletionStage<SubscribeOutcome> subscribe(SubscribeRequest request) {
    return subscribe(newSubscriptionId(), request);
  }

  /**
   * Like {@link #subscribe(SubscribeRequest)} under an id taken from {@link #newSubscriptionId()}
   * beforehand, so that the caller can recognise NOTIFYs that arrive before the 2xx (RFC 6665
   * §4.1.2.4) or before this method returns.
   *
   * @throws IllegalArgumentException also if a subscription by that id exists
   */
  CompletionStage<SubscribeOutcome> subscribe(SubscriptionId id, SubscribeRequest request);

  /**
   * Fetches the state once: a SUBSCRIBE with {@code Expires: 0} in a new dialog (RFC 6665 §4.4.3,
   * RFC 8048 §7.1 for an XMPP probe). The request's expiry is ignored. The one NOTIFY it triggers
   * goes to the listener.
   *
   * @throws IllegalStateException if no {@link NotificationListener} was given
   */
  default CompletionStage<SubscribeOutcome> fetch(SubscribeRequest request) {
    return fetch(newSubscriptionId(), request);
  }

  /** Like {@link #fetch(SubscribeRequest)} under an id taken from {@link #newSubscriptionId()}. */
  CompletionStage<SubscribeOutcome> fetch(SubscriptionId id, SubscribeRequest request);

  /** A new id for a dialog this endpoint starts: a random Call-ID and From tag. */
  SubscriptionId newSubscriptionId();

  /** Refreshes a subscription for {@code expires} (RFC 6665 §4.1.2.2), at least one second. */
  CompletionStage<SubscribeOutcome> refresh(SubscriptionId subscription, Duration expires);

  /**
   * Ends a subscription: SUBSCRIBE {@code Expires: 0} in its dialog (RFC 6665 §4.1.2.3). The final
   * {@code terminated} NOTIFY goes to the listener.
   */
  CompletionStage<SubscribeOutcome> unsubscribe(SubscriptionId subscription);

  /**
   * Re-creates a persisted subscription, e.g. after a restart, and refreshes it in its dialog for
   * {@code expires}. If the notifier no longer knows it (481, or another code that ends dialogs),
   * the outcome says it is not alive: subscribe afresh.
   *
   * @throws IllegalArgumentException if this endpoint already has a subscription by that id
   * @throws IllegalStateException if no {@link NotificationListener} was given
   */
  CompletionStage<SubscribeOutcome> resume(DialogState dialog, Duration expires);

  /** The dialog of a subscription, once established (by a 2xx or a NOTIFY), to persist it. */
  Optional<DialogState> dialogState(SubscriptionId subscription);
}
