package org.passerelle.gateway.subscriptions;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.passerelle.gateway.threads.BoundedThread;
import org.passerelle.gateway.timers.Deadlines;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread all presence state lives on: SIP callbacks, link stanzas, store results and timers
 * hop onto it, so the flows need no locks and see events of one subscription in order. Its queue is
 * bounded; what does not fit is refused and the caller answers for it.
 */
final class PresenceLoop implements Executor, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PresenceLoop.class);

  private final ThreadPoolExecutor worker;
  private final ScheduledExecutorService timers;

  PresenceLoop(int queueLimit) {
    this.worker = BoundedThread.named("presence", queueLimit);
    ScheduledThreadPoolExecutor scheduler =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread t = new Thread(runnable, "presence-timers");
              t.setDaemon(true);
              return t;
            });
    scheduler.setRemoveOnCancelPolicy(true);
    this.timers = scheduler;
  }

  /**
   * Runs {@code task} on the presence thread.
   *
   * @throws RejectedExecutionException if the queue is full or the loop is closed
   */
  @Override
  public void execute(Runnable task) {
    worker.execute(
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            LOG.error("presence task failed", e);
          }
        });
  }

  /** Runs {@code task} on the presence thread, or returns false if it cannot be queued. */
  boolean offer(Runnable task) {
    try {
      execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  /** How finely refresh and retry times are told apart: they are seconds to hours away. */
  static final Duration TICK = Duration.ofSeconds(1);

  /**
   * Deadlines swept once a {@link #TICK} on the presence thread: each due item goes to {@code
   * onDue}, which checks whether its deadline still holds (docs/decisions/0014). A sweep that does
   * not fit in the queue is left to the next tick.
   */
  <T> Deadlines<T> deadlines(Consumer<T> onDue) {
    Deadlines<T> deadlines = new Deadlines<>(() -> System.nanoTime() / 1_000_000, TICK);
    timers.scheduleWithFixedDelay(
        () -> offer(() -> deadlines.forEachDue(onDue)),
        TICK.toMillis(),
        TICK.toMillis(),
        TimeUnit.MILLISECONDS);
    return deadlines;
  }

  /** Runs {@code task} on the presence thread after {@code delay}. */
  ScheduledFuture<?> schedule(Runnable task, Duration delay) {
    return timers.schedule(
        () -> {
          if (!offer(task)) {
            LOG.warn("presence queue full or closed: a timer task was not run");
          }
        },
        Math.max(0, delay.toMillis()),
        TimeUnit.MILLISECONDS);
  }

  /** Whether no task waits or runs right now. */
  boolean isIdle() {
    return worker.getQueue().isEmpty() && worker.getActiveCount() == 0;
  }

  /** Tasks waiting for the presence thread. */
  int queued() {
    return worker.getQueue().size();
  }

  /** Whether {@link #close()} was called: tasks are refused for that reason, not overload. */
  boolean isClosed() {
    return worker.isShutdown();
  }

  /** Lets queued work finish (briefly), then stops both threads. */
  @Override
  public void close() {
    timers.shutdownNow();
    worker.shutdown();
    try {
      if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
        worker.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      worker.shutdownNow();
    }
  }
}
