package org.passerelle.gateway.subscriptions;

import java.util.function.LongSupplier;

/**
 * How fast stored subscriptions are taken up after a restart, so that the SIP server is not
 * flooded: a token bucket at {@code rate} per second (a burst of at most a fiftieth of a second's
 * worth) and at most {@code maxInFlight} restores whose SIP side has not answered yet. Not
 * thread-safe: confined to the presence thread. Time comes from a nanosecond clock so that tests
 * can drive it.
 */
final class RestorePacer {
  private static final long SECOND = 1_000_000_000L;

  /**
   * The most restores unanswered at once, whatever the rate: JAIN-SIP walks every unanswered
   * SUBSCRIBE client transaction for each NOTIFY it cannot put in one of its own dialogs (all of
   * ours, decision 7), so a wider window makes every NOTIFY dearer; once a stall has filled it the
   * restore does not catch up (100,000 subscriptions at 5,000/s: 139 s with 5,000 unanswered, 35 s
   * with 500). 200 keep 2,000/s going with a SIP server that answers within 100 ms.
   */
  static final int MAX_UNANSWERED = 200;

  /** The restore's pacer: {@code rate} per second, at most {@link #MAX_UNANSWERED} unanswered. */
  static RestorePacer forRate(int rate, LongSupplier nanos) {
    return new RestorePacer(rate, Math.min(rate, MAX_UNANSWERED), nanos);
  }

  private final int rate;
  private final int maxInFlight;
  private final LongSupplier nanos;
  private final double burst;
  private double tokens;
  private long refilledAt;
  private int inFlight;

  RestorePacer(int rate, int maxInFlight, LongSupplier nanos) {
    if (rate < 1 || maxInFlight < 1) {
      throw new IllegalArgumentException("rate and maxInFlight must be positive");
    }
    this.rate = rate;
    this.maxInFlight = maxInFlight;
    this.nanos = nanos;
    this.burst = Math.max(1, rate / 50.0);
    this.tokens = burst;
    this.refilledAt = nanos.getAsLong();
  }

  /** Takes a token and an in-flight slot if both are free; call {@link #finished} for each. */
  boolean tryStart() {
    refill();
    if (inFlight >= maxInFlight || tokens < 1) {
      return false;
    }
    tokens -= 1;
    inFlight++;
    return true;
  }

  /** A restore started by {@link #tryStart} is over (answered, failed or had nothing to send). */
  void finished() {
    if (inFlight == 0) {
      throw new IllegalStateException("finished more restores than started");
    }
    inFlight--;
  }

  /** Whether only the in-flight bound holds restores back: wait for {@link #finished}. */
  boolean isFull() {
    return inFlight >= maxInFlight;
  }

  /** How long until the next token, zero if one is there. */
  long nanosUntilToken() {
    refill();
    return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) * SECOND / rate);
  }

  int inFlight() {
    return inFlight;
  }

  private void refill() {
    long now = nanos.getAsLong();
    long elapsed = now - refilledAt;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + (double) elapsed * rate / SECOND);
      refilledAt = now;
    }
  }
}
