package org.passerelle.gateway.sip;

/**
 * Decides on SUBSCRIBE requests for our domains (notifier role, RFC 6665 §4.2; RFC 8048 §5.3).
 * Called on a JAIN-SIP or timer thread: hand long work to another executor. If {@link #onSubscribe}
 * throws before answering, the request is answered 500.
 */
public interface SubscriptionHandler {

  /** A new subscription, a refresh, an unsubscribe or a poll: accept or reject it. */
  void onSubscribe(IncomingSubscription subscription, SubscriptionResponder responder);

  /**
   * A subscription ended without a request from its subscriber and without our asking: see {@link
   * SubscriptionEnd#TIMED_OUT} and {@link SubscriptionEnd#UNREACHABLE}.
   */
  void onEnded(SubscriptionId subscription, SubscriptionEnd end);
}
