package org.passerelle.bench.load;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What became of the messages of one measured phase: a bit per sequence number (so duplicates are
 * seen), one-way latencies in an HdrHistogram, and counts of bounces and of messages the sender had
 * to shed. Safe for the sinks' threads and the pacer at once. Messages of another run (a warm-up
 * still draining) are counted apart and otherwise ignored.
 */
public final class DeliveryLedger {
  private static final long MAX_LATENCY_NANOS = TimeUnit.MINUTES.toNanos(10);

  private final int run;
  private final long capacity;
  private final AtomicLongArray seen;
  private final Histogram latency = new ConcurrentHistogram(MAX_LATENCY_NANOS, 3);
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong duplicated = new AtomicLong();
  private final AtomicLong bounced = new AtomicLong();
  private final AtomicLong shed = new AtomicLong();
  private final AtomicLong foreign = new AtomicLong();
  private volatile long lastDeliveryNanos;

  /**
   * @param run the run number the messages carry
   * @param capacity the most messages the phase may send
   */
  public DeliveryLedger(int run, long capacity) {
    if (capacity < 1 || capacity > 100_000_000) {
      throw new IllegalArgumentException("capacity must be 1..100,000,000, was " + capacity);
    }
    this.run = run;
    this.capacity = capacity;
    this.seen = new AtomicLongArray((int) ((capacity + 63) / 64));
  }

  public int run() {
    return run;
  }

  public long capacity() {
    return capacity;
  }

  /** A load message arrived at a sink at {@code nowNanos}. */
  public void delivered(LoadBody.Parsed body, long nowNanos) {
    if (body.run() != run || body.seq() < 0 || body.seq() >= capacity) {
      foreign.incrementAndGet();
      return;
    }
    int word = (int) (body.seq() >>> 6);
    long bit = 1L << (body.seq() & 63);
    long old = seen.getAndAccumulate(word, bit, (a, b) -> a | b);
    if ((old & bit) != 0) {
      duplicated.incrementAndGet();
      return;
    }
    delivered.incrementAndGet();
    latency.recordValue(Math.min(Math.max(0, nowNanos - body.stamp()), MAX_LATENCY_NANOS));
    lastDeliveryNanos = nowNanos;
  }

  /** An error came back for a message of this run instead of a delivery. */
  public void bounce() {
    bounced.incrementAndGet();
  }

  /** The sender dropped messages because its connection would not take more (open loop). */
  public void shed(long count) {
    shed.addAndGet(count);
  }

  public long delivered() {
    return delivered.get();
  }

  public long duplicated() {
    return duplicated.get();
  }

  public long bounced() {
    return bounced.get();
  }

  public long shed() {
    return shed.get();
  }

  public long foreign() {
    return foreign.get();
  }

  /** Deliveries and bounces: messages whose fate is known. */
  public long completed() {
    return delivered.get() + bounced.get();
  }

  public long lastDeliveryNanos() {
    return lastDeliveryNanos;
  }

  public Histogram latency() {
    return latency;
  }
}
