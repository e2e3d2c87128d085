package org.passerelle.gateway.sip;

import java.util.Locale;
import java.util.Optional;

/** The values of the Subscription-State header of a NOTIFY (RFC 6665 §4.1.3, §8.2.3). */
public enum SubscriptionState {
  /** The notifier has not yet decided: policy is missing to accept or refuse (RFC 6665 §4.1.3). */
  PENDING,
  /** The subscription was accepted and its state is being reported (RFC 6665 §4.1.3). */
  ACTIVE,
  /** The subscription is over; a reason may say whether to try again (RFC 6665 §4.1.3). */
  TERMINATED;

  /** As written in the header: {@code pending}, {@code active} or {@code terminated}. */
  public String token() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The value a token names, in any case; empty for extension values. */
  public static Optional<SubscriptionState> fromToken(String token) {
    for (SubscriptionState state : values()) {
      if (state.name().equalsIgnoreCase(token.strip())) {
        return Optional.of(state);
      }
    }
    return Optional.empty();
  }
}
