package org.passerelle.gateway.sip;

/**
 * Receives what happens to the subscriptions we make (subscriber role, RFC 6665 §4.1). Called on a
 * JAIN-SIP or timer thread, one call at a time per subscription at most loosely ordered: hand long
 * work to another executor.
 */
public interface NotificationListener {

  /**
   * A NOTIFY matched one of our subscriptions (RFC 6665 §4.4.1) and was answered 200. After a
   * {@code terminated} one the subscription is gone.
   */
  void onNotification(Notification notification);

  /**
   * A subscription ended without a {@code terminated} NOTIFY: see {@link SubscriptionEnd#NO_NOTIFY}
   * and {@link SubscriptionEnd#EXPIRED}.
   */
  void onEnded(SubscriptionId subscription, SubscriptionEnd end);
}
