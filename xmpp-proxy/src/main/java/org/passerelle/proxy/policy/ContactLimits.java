package org.passerelle.proxy.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds of the {@link ContactLedger}.
 *
 * @param maxPairs how many (local user, remote user) pairs are kept; the oldest goes first
 * @param expiry how long a pair is kept after the local user last wrote to or subscribed to the
 *     remote user
 */
public record ContactLimits(int maxPairs, Duration expiry) {
  public static final ContactLimits DEFAULTS = new ContactLimits(100_000, Duration.ofDays(30));

  public ContactLimits {
    if (maxPairs < 1) {
      throw new IllegalArgumentException("max-pairs must be at least 1");
    }
    Objects.requireNonNull(expiry, "expiry");
    if (expiry.isNegative() || expiry.isZero()) {
      throw new IllegalArgumentException("expiry must be positive");
    }
  }
}
