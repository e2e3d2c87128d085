package org.passerelle.gateway.timers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Items that fall due at a deadline, kept by whole tick: one sorted map of buckets, each an array
 * of the items due in that tick, so an armed timer costs a reference, not a scheduled task and its
 * lambda (~200 bytes). Whoever calls {@link #forEachDue} once a tick hands each due item over;
 * never before its deadline, at most a tick (plus the caller's own lag) after it.
 *
 * <p>Nothing is ever removed early: to cancel or move a deadline, the owner keeps the deadline that
 * counts in the item itself and ignores an item handed over before it (as the cancelled tasks of a
 * {@code ScheduledThreadPoolExecutor} stay queued until their time). An item armed twice is handed
 * over twice. Thread-safe; the actions run outside the lock.
 *
 * @param <T> the items, e.g. subscriptions
 */
public final class Deadlines<T> {
  private static final Logger LOG = LoggerFactory.getLogger(Deadlines.class);

  private final LongSupplier millis;
  private final long tickMillis;
  private final TreeMap<Long, ArrayList<T>> byTick = new TreeMap<>();
  private int size;

  /**
   * @param millis a monotonic clock in milliseconds (e.g. {@code System.nanoTime() / 1_000_000})
   * @param tick how finely deadlines are told apart
   */
  public Deadlines(LongSupplier millis, Duration tick) {
    this.millis = Objects.requireNonNull(millis, "millis");
    this.tickMillis = tick.toMillis();
    if (tickMillis < 1) {
      throw new IllegalArgumentException("tick must be at least a millisecond: " + tick);
    }
  }

  /** The clock's time now, in the milliseconds {@link #add} returns. */
  public long now() {
    return millis.getAsLong();
  }

  /**
   * Arms a deadline {@code delay} from now (none if negative).
   *
   * @return the deadline, for the item to keep and compare with {@link #now()} when handed over
   */
  public long add(T item, Duration delay) {
    Objects.requireNonNull(item, "item");
    long at = now() + Math.max(0, delay.toMillis());
    long tick = -Math.floorDiv(-at, tickMillis); // rounded up: never early
    synchronized (this) {
      byTick.computeIfAbsent(tick, t -> new ArrayList<>()).add(item);
      size++;
    }
    return at;
  }

  /**
   * Hands every item whose tick has passed to {@code action}, once, in deadline order by tick; an
   * action that throws is logged and the others still run.
   */
  public void forEachDue(Consumer<? super T> action) {
    long current = Math.floorDiv(now(), tickMillis);
    List<ArrayList<T>> due = new ArrayList<>();
    synchronized (this) {
      Map.Entry<Long, ArrayList<T>> first;
      while ((first = byTick.firstEntry()) != null && first.getKey() <= current) {
        byTick.pollFirstEntry();
        due.add(first.getValue());
        size -= first.getValue().size();
      }
    }
    for (ArrayList<T> items : due) {
      for (T item : items) {
        try {
          action.accept(item);
        } catch (RuntimeException e) {
          LOG.error("deadline action failed on {}", item, e);
        }
      }
    }
  }

  /** Armed entries, stale ones included. */
  public synchronized int size() {
    return size;
  }
}
