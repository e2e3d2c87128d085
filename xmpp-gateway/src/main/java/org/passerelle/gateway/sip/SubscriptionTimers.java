package org.passerelle.gateway.sip;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timers of both subscription roles (Timer N, expiries) on one daemon thread. After {@link
 * #close()} nothing runs any more: scheduling returns a timer that never fires.
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
