package org.passerelle.gateway.sip;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.passerelle.gateway.timers.Deadlines;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timers of both subscription roles on one daemon thread: short-lived ones (Timer N) as
 * scheduled tasks, the expiry of every subscription in {@link Deadlines} swept once a second
 * (docs/decisions/0014). After {@link #close()} nothing runs any more: scheduling returns a timer
 * that never fires.
 */
final class SubscriptionTimers implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SubscriptionTimers.class);

  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "sip-subscription-timers");
            t.setDaemon(true);
            return t;
          });

  /** How finely expiries are told apart: they end subscriptions of minutes or hours. */
  static final Duration TICK = Duration.ofSeconds(1);

  private final List<Runnable> sweeps = new CopyOnWriteArrayList<>();

  SubscriptionTimers() {
    executor.scheduleWithFixedDelay(
        () -> sweeps.forEach(Runnable::run),
        TICK.toMillis(),
        TICK.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * Deadlines swept once a {@link #TICK} on the timer thread: each due item goes to {@code onDue},
   * which checks whether its deadline still holds.
   */
  <T> Deadlines<T> deadlines(Consumer<T> onDue) {
    Deadlines<T> deadlines = new Deadlines<>(() -> System.nanoTime() / 1_000_000, TICK);
    sweeps.add(() -> deadlines.forEachDue(onDue));
    return deadlines;
  }

  /** Runs {@code task} after {@code delay}; a task that throws is logged, not lost silently. */
  ScheduledFuture<?> schedule(Runnable task, Duration delay) {
    try {
      return executor.schedule(
          () -> {
            try {
              task.run();
            } catch (RuntimeException e) {
              log.error("subscription timer failed", e);
            }
          },
          delay.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      return new NeverFires();
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  /** What {@link #schedule} returns once closed. */
  private static final class NeverFires extends CompletableFuture<Object>
      implements ScheduledFuture<Object> {
    @Override
    public long getDelay(TimeUnit unit) {
      return Long.MAX_VALUE;
    }

    @Override
    public int compareTo(java.util.concurrent.Delayed other) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }
  }
}
