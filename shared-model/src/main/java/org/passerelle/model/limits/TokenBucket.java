package org.passerelle.model.limits;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A token bucket that also keeps a debt: each admitted event takes a token, tokens come back at a
 * steady rate up to the bucket's size, and an event that finds no token is refused but still takes
 * one, so the count goes below zero. A sender that stops is forgiven once its debt is repaid; one
 * that keeps sending faster than the rate runs the debt up to the bucket's size and is then told to
 * stop ({@link Verdict#CUT}), however little it exceeds the rate. Thread-safe.
 */
public final class TokenBucket {
  /** What to do with one event. */
  public enum Verdict {
    /** A token was there. */
    ACCEPT,
    /** No token: refuse this event. */
    REFUSE,
    /** The debt has reached the bucket's size: the sender does not slow down. */
    CUT
  }

  private final double perNano;
  private final double capacity;
  private final LongSupplier clock;
  private double tokens;
  private long last;

  /**
   * @param ratePerSecond tokens added per second
   * @param capacity the most tokens held, and the deepest debt before {@link Verdict#CUT}
   * @param clock a monotonic time in nanoseconds, e.g. {@code System::nanoTime}
   */
  public TokenBucket(int ratePerSecond, int capacity, LongSupplier clock) {
    if (ratePerSecond < 1 || capacity < 1) {
      throw new IllegalArgumentException(
          "rate and capacity must be positive, were " + ratePerSecond + " and " + capacity);
    }
    this.perNano = ratePerSecond / 1e9;
    this.capacity = capacity;
    this.clock = clock;
    this.tokens = capacity;
    this.last = clock.getAsLong();
  }

  public synchronized Verdict take() {
    refill();
    tokens -= 1;
    if (tokens >= 0) {
      return Verdict.ACCEPT;
    }
    // A debt of a whole bucket, counted in whole stanzas: what trickled back meanwhile is less
    // than one.
    if (tokens < 1 - capacity) {
      tokens = -capacity;
      return Verdict.CUT;
    }
    return Verdict.REFUSE;
  }

  /** Whether the bucket is full: its sender has been quiet long enough to be forgotten. */
  public synchronized boolean isFull() {
    refill();
    return tokens >= capacity;
  }

  /** How long until a token is there again (zero if one is): what to tell a refused sender. */
  public synchronized Duration untilNextToken() {
    refill();
    return tokens >= 1 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil((1 - tokens) / perNano));
  }

  private void refill() {
    long now = clock.getAsLong();
    tokens = Math.min(capacity, tokens + (now - last) * perNano);
    last = now;
  }
}
