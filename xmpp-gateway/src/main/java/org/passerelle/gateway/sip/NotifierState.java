package org.passerelle.gateway.sip;

/**
 * A subscription we accepted, as the notifier sees it (RFC 6665 §4.2): what its last NOTIFY said.
 * Every transition is made here; an illegal one throws.
 */
enum NotifierState {
  /**
   * The 2xx is sent; the immediate NOTIFY (RFC 6665 §4.2.1.2) is about to follow. Also the state of
   * a resumed subscription until its next NOTIFY: what the last one said was not persisted.
   */
  ACCEPTED,
  /** Our last NOTIFY said {@code pending}: not yet authorised (RFC 6665 §4.1.3, §4.2.1.1). */
  PENDING,
  /** Our last NOTIFY said {@code active} (RFC 6665 §4.1.3). */
  ACTIVE,
  /**
   * Our last NOTIFY said {@code terminated}, or the subscriber is unreachable (RFC 6665 §4.2.2).
   */
  TERMINATED;

  /**
   * After sending a NOTIFY with {@code sent} as its Subscription-State.
   *
   * @throws IllegalStateException after {@code terminated}, and for {@code pending} after {@code
   *     active}: an authorisation withdrawn ends the subscription ({@code terminated;reason=
   *     rejected}, RFC 8048 §5.3.1) rather than going back to pending (our rule)
   */
  NotifierState onNotify(SubscriptionState sent) {
    if (this == TERMINATED) {
      throw new IllegalStateException("no NOTIFY after terminated (RFC 6665 §4.2.2)");
    }
    if (this == ACTIVE && sent == SubscriptionState.PENDING) {
      throw new IllegalStateException("an active subscription does not go back to pending");
    }
    return switch (sent) {
      case PENDING -> PENDING;
      case ACTIVE -> ACTIVE;
      case TERMINATED -> TERMINATED;
    };
  }

  /** After the subscriber proved unreachable or the subscription was refused on refresh. */
  NotifierState onEnd() {
    return TERMINATED;
  }
}
