package org.passerelle.gateway.sip;

/**
 * How a subscription ended without the application asking for it and without a {@code terminated}
 * NOTIFY saying so (which is delivered as a {@link Notification}). Ends the application caused by
 * its own request are reported in that request's {@link SubscribeOutcome} instead.
 */
public enum SubscriptionEnd {
  /**
   * Subscriber: no NOTIFY came within Timer N, 64 × T1 after the SUBSCRIBE was sent; the
   * subscription is considered failed (RFC 6665 §4.1.2.4).
   */
  NO_NOTIFY,
  /**
   * Subscriber: its expiry passed without a refresh and without a {@code terminated} NOTIFY; it is
   * forgotten (RFC 6665 §4.1.2.2).
   */
  EXPIRED,
  /**
   * Notifier: the subscriber did not refresh it in time; a NOTIFY {@code terminated;reason=timeout}
   * was sent (RFC 6665 §4.2.1.4).
   */
  TIMED_OUT,
  /**
   * Notifier: a NOTIFY got no answer, or an answer that ends the dialog (481 and the other codes of
   * RFC 6665 §4.1.2.2); the subscription is removed (RFC 6665 §4.2.2).
   */
  UNREACHABLE
}
