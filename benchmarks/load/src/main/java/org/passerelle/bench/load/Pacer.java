package org.passerelle.bench.load;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives one phase of load from a single thread, bounded in count and time.
 *
 * <p>Open loop: message i is due at {@code start + i / rate} and carries that scheduled time, so a
 * stall in the system shows as latency instead of as a lower sending rate (no coordinated
 * omission). Closed loop: as many as possible, with at most {@code window} messages whose fate is
 * unknown; each carries the time it was actually sent.
 */
public final class Pacer {
  /** Longest batch handed over at once in closed loop, so the window refills in small steps. */
  private static final int CLOSED_LOOP_BATCH = 64;

  private static final long MAX_PARK_NANOS = 1_000_000;
  private static final long MIN_PARK_NANOS = 50_000;

  private Pacer() {}

  /** What was sent, and when sending started and ended. */
  public record Sent(long count, long startNanos, long endNanos) {}

  public static Sent openLoop(
      LoadSender sender, DeliveryLedger ledger, int ratePerSecond, Duration duration) {
    if (ratePerSecond < 1) {
      throw new IllegalArgumentException("rate must be at least 1/s, was " + ratePerSecond);
    }
    long total = Math.min(ledger.capacity(), (long) ratePerSecond * duration.toSeconds());
    double interval = 1e9 / ratePerSecond;
    long start = System.nanoTime() + MAX_PARK_NANOS;
    long sent = 0;
    while (sent < total) {
      long now = System.nanoTime();
      long due = now < start ? 0 : Math.min(total, (long) ((now - start) / interval) + 1);
      if (due > sent) {
        long firstStamp = start + (long) (sent * interval);
        int count = (int) (due - sent);
        // With a step of a whole nanosecond interval the stamps drift by under 1 ns per message.
        sender.send(ledger, sent, count, firstStamp, (long) interval);
        sent = due;
      }
      long nextDue = start + (long) (sent * interval);
      LockSupport.parkNanos(Math.max(MIN_PARK_NANOS, Math.min(MAX_PARK_NANOS, nextDue - now)));
    }
    return new Sent(sent, start, System.nanoTime());
  }

  public static Sent closedLoop(
      LoadSender sender, DeliveryLedger ledger, int window, Duration duration) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1, was " + window);
    }
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long sent = 0;
    while (sent < ledger.capacity() && System.nanoTime() < end) {
      long open = sent - ledger.completed() - ledger.shed();
      if (open < window) {
        int count =
            (int) Math.min(Math.min(window - open, CLOSED_LOOP_BATCH), ledger.capacity() - sent);
        sender.send(ledger, sent, count, System.nanoTime(), 0);
        sent += count;
      } else {
        LockSupport.parkNanos(MIN_PARK_NANOS);
      }
    }
    return new Sent(sent, start, System.nanoTime());
  }

  /** Waits until every sent message is delivered, bounced or shed, or {@code timeout} passes. */
  public static void drain(DeliveryLedger ledger, long sent, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (ledger.completed() + ledger.shed() < sent && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }
}
