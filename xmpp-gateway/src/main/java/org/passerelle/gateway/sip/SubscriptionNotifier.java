package org.passerelle.gateway.sip;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The notifier role (RFC 6665 §4.2): subscriptions that SIP users made to addresses we serve,
 * accepted through a {@link SubscriptionHandler}. NOTIFYs follow the dialog's route set, taken from
 * the Record-Route of the SUBSCRIBE, to the subscriber's last Contact (RFC 3261 §12.2.1.1); those
 * of one dialog leave one at a time, in order.
 *
 * <p>Subscriptions live in memory. To keep them over a restart, the application persists {@link
 * #dialogState} with the subscription's expiry when it accepts a SUBSCRIBE and on each refresh, and
 * after the restart calls {@link #resume} for each one still unexpired.
 */
public interface SubscriptionNotifier {

  /**
   * How far {@link #resume} moves our CSeq past the persisted one: more NOTIFYs than one dialog
   * sends between two saves (at RFC 3856 §6.10's one per 5 s, over 90 hours' worth), and 2^31 still
   * holds 32,767 such jumps.
   */
  long RESUME_CSEQ_GAP = 1L << 16;

  /**
   * Sends a NOTIFY in an accepted subscription (RFC 6665 §4.2.2). A {@code terminated} one ends it.
   * A NOTIFY that times out or is answered with a code that ends dialogs (481 and the others of RFC
   * 6665 §4.1.2.2) removes the subscription; the handler hears {@link SubscriptionEnd#UNREACHABLE}.
   *
   * @return the final response; fails with a {@link SipSendException} when none came, or with
   *     reason {@code NO_SUBSCRIPTION} if the subscription does not exist (any more)
   */
  CompletionStage<SipResponseInfo> notify(
      SubscriptionId subscription, OutgoingNotification notification);

  /**
   * Re-creates a subscription this endpoint had accepted before a restart, from the {@link
   * #dialogState} persisted then; nothing is sent. From now on {@link #notify} sends in that dialog
   * (same Call-ID, tags, route set and remote target), and the subscriber's SUBSCRIBEs in it reach
   * the {@link SubscriptionHandler} as {@link IncomingSubscription.Kind#REFRESH} or {@link
   * IncomingSubscription.Kind#UNSUBSCRIBE}. Unless refreshed within {@code remaining} it ends like
   * any other: NOTIFY {@code terminated;reason=timeout} and {@link SubscriptionEnd#TIMED_OUT}.
   *
   * <p>What the last NOTIFY said is not persisted, so the next one may say {@code pending}, {@code
   * active} or {@code terminated}, as after accepting a SUBSCRIBE: typically the current state,
   * sent at once. Our CSeq moves {@link #RESUME_CSEQ_GAP} ahead of the persisted one, so that it
   * stays above those of NOTIFYs sent after the last save (RFC 3261 §12.2.1.1); persist {@link
   * #dialogState} again now, or a second restart would reuse numbers.
   *
   * @param dialog the persisted dialog of a presence subscription this endpoint was the notifier of
   * @param remaining the time left until the subscription expires, at least one second; NOTIFYs
   *     carry it in {@code expires}
   * @return the subscription's id, {@link DialogState#id()}
   * @throws IllegalArgumentException if this endpoint already has a subscription by that id, if the
   *     event package is not {@code presence}, if {@code remaining} is under one second, or if the
   *     CSeq cannot move ahead below 2^31 (RFC 3261 §8.1.1.5): then drop the dialog, the watcher
   *     will subscribe again once its refresh gets 481
   * @throws IllegalStateException if no {@link SubscriptionHandler} was given
   */
  SubscriptionId resume(DialogState dialog, Duration remaining);

  /**
   * The dialog of an accepted subscription, to persist it for {@link #resume}: its remote target
   * and the subscriber's CSeq change with each refresh.
   */
  Optional<DialogState> dialogState(SubscriptionId subscription);
}
