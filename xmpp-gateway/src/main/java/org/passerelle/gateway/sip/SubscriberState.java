package org.passerelle.gateway.sip;

/**
 * A subscription we made, as the subscriber sees it (RFC 6665 §4.1.2, its state diagram). Every
 * transition is made here; an illegal one throws.
 */
enum SubscriberState {
  /**
   * SUBSCRIBE sent, no NOTIFY yet: the resource's state is neutral (RFC 6665 §4.1.2.4, "NOTIFY
   * wait"). Timer N runs for an initial SUBSCRIBE. Also the state of a resumed subscription until
   * its next NOTIFY.
   */
  NOTIFY_WAIT,
  /** The last NOTIFY said {@code pending} (RFC 6665 §4.1.3). */
  PENDING,
  /** The last NOTIFY said {@code active} (RFC 6665 §4.1.3). */
  ACTIVE,
  /**
   * We sent SUBSCRIBE {@code Expires: 0} and await the {@code terminated} NOTIFY (RFC 6665
   * §4.1.2.3).
   */
  UNSUBSCRIBING,
  /**
   * Over: a {@code terminated} NOTIFY, a refusal, Timer N or expiry (RFC 6665 §4.1.2.4, §4.1.3).
   */
  TERMINATED;

  /** After a NOTIFY with {@code received} as its Subscription-State (RFC 6665 §4.1.3). */
  SubscriberState onNotify(SubscriptionState received) {
    requireLive("a NOTIFY");
    return switch (received) {
      case TERMINATED -> TERMINATED;
      // While unsubscribing, other NOTIFYs may still come before the last one.
      case PENDING -> this == UNSUBSCRIBING ? UNSUBSCRIBING : PENDING;
      case ACTIVE -> this == UNSUBSCRIBING ? UNSUBSCRIBING : ACTIVE;
    };
  }

  /** After we sent SUBSCRIBE {@code Expires: 0} in the dialog, or a 2xx granted no time. */
  SubscriberState onUnsubscribe() {
    requireLive("an unsubscribe");
    return UNSUBSCRIBING;
  }

  /** After a failure response, Timer N or the expiry (RFC 6665 §4.1.2.2, §4.1.2.4). */
  SubscriberState onEnd() {
    return TERMINATED;
  }

  /** Whether requests may still be sent in the dialog. */
  boolean isLive() {
    return this != TERMINATED;
  }

  private void requireLive(String what) {
    if (this == TERMINATED) {
      throw new IllegalStateException("no " + what + " after the subscription terminated");
    }
  }
}
