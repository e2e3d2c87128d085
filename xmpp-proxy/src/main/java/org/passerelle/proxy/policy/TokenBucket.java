package org.passerelle.proxy.policy;

import java.time.Duration;

/**
 * A token bucket: up to {@code capacity} takes at once, refilled at {@code capacity} per {@code
 * period}. Not thread-safe; its owner locks.
 */
final class TokenBucket {
  private final double capacity;
  private final double tokensPerNano;
  private final int rate;
  private double tokens;
  private long last;

  TokenBucket(int capacity, Duration period, long now) {
    this.capacity = capacity;
    this.rate = capacity;
    this.tokensPerNano = capacity / (double) period.toNanos();
    this.tokens = capacity;
    this.last = now;
  }

  /** The capacity it was made with, to tell whether a new setting needs a new bucket. */
  int rate() {
    return rate;
  }

  boolean tryTake(long now) {
    if (now > last) {
      tokens = Math.min(capacity, tokens + (now - last) * tokensPerNano);
      last = now;
    }
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }
}
