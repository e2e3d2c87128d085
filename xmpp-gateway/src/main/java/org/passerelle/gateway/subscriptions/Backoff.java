package org.passerelle.gateway.subscriptions;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delays before re-subscribing after a transient failure: doubling from {@link #FIRST} to {@link
 * #LAST}, with up to a quarter of jitter so that many subscriptions that failed together (a SIP
 * server restart) do not come back together.
 */
final class Backoff {
  static final Duration FIRST = Duration.ofSeconds(5);
  static final Duration LAST = Duration.ofMinutes(10);

  private Backoff() {}

  /** The delay before attempt {@code failures + 1}, {@code failures} ≥ 1. */
  static Duration after(int failures) {
    long base = FIRST.toMillis() << Math.min(Math.max(failures - 1, 0), 16);
    long capped = Math.min(base, LAST.toMillis());
    return Duration.ofMillis(capped - ThreadLocalRandom.current().nextLong(capped / 4 + 1));
  }
}
