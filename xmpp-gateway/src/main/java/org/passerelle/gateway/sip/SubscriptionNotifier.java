package org.passerelle.gateway.sip;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The notifier role (RFC 6665 §4.2): subscriptions that SIP users made to addresses we serve,
 * accepted through a {@link SubscriptionHandler}. NOTIFYs follow the dialog's route set, taken from
 * the Record-Route of the SUBSCRIBE, to the subscriber's last Contact (RFC 3261 §12.2.1.1); those
 * of one dialog leave one at a time, in order.
 */
public interface SubscriptionNotifier {

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

  /** The dialog of an accepted subscription. */
  Optional<DialogState> dialogState(SubscriptionId subscription);
}
