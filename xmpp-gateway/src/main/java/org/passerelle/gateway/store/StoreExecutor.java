package org.passerelle.gateway.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the store's JDBC work on its own bounded pool of threads, one transaction per task, so that
 * no caller thread (a Netty event loop above all) ever waits on the database. When the queue is
 * full, or after {@link #close}, a task fails at once instead of waiting.
 */
final class StoreExecutor {

  /** One transaction's work on a connection; the executor commits or rolls back. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private static final Logger LOG = LoggerFactory.getLogger(StoreExecutor.class);

  private final DataSource dataSource;
  private final int queueLimit;
  private final ThreadPoolExecutor threads;

  /**
   * @param threads how many tasks run at once; as many as the pool has connections
   * @param queueLimit how many tasks may wait
   */
  StoreExecutor(DataSource dataSource, int threads, int queueLimit) {
    this.dataSource = dataSource;
    this.queueLimit = queueLimit;
    this.threads =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(queueLimit),
            new StoreThreads());
  }

  /**
   * Runs {@code work} in a transaction on a store thread.
   *
   * @param what the operation, for failure messages
   * @return completed on the store thread with the result, or exceptionally: a {@link
   *     StoreException} when the database fails or the store is closed or full, and an unchecked
   *     exception from {@code work} as it is (after a rollback)
   */
  <T> CompletableFuture<T> transaction(String what, Work<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      threads.execute(new Task<>(what, work, result));
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(
          threads.isShutdown()
              ? new StoreException(what + ": the subscription store is closed")
              : new StoreException(
                  what
                      + ": the subscription store has "
                      + queueLimit
                      + " operations waiting already (store.queue-limit)"));
    }
    return result;
  }

  /** Whether tasks are taken: not closed. */
  boolean isRunning() {
    return !threads.isShutdown();
  }

  /** Tasks waiting for a store thread. */
  int queued() {
    return threads.getQueue().size();
  }

  /** Runs {@code work} in a transaction on the calling thread; for the store's start. */
  <T> T transactionHere(String what, Work<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      try {
        T value = work.run(connection);
        connection.commit();
        return value;
      } catch (SQLException | RuntimeException e) {
        rollback(connection, what);
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException(what + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Lets queued work finish for up to {@code grace}, then interrupts what still runs and fails what
   * is still queued: no stage is left incomplete.
   */
  void close(Duration grace) {
    threads.shutdown();
    try {
      if (threads.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Runnable> abandoned = threads.shutdownNow();
    for (Runnable task : abandoned) {
      ((Task<?>) task).fail();
    }
    if (!abandoned.isEmpty()) {
      LOG.warn(
          "subscription store closed with {} operations still queued after {} ms; they failed",
          abandoned.size(),
          grace.toMillis());
    }
  }

  /** One queued operation and the stage it completes. */
  private final class Task<T> implements Runnable {
    private final String what;
    private final Work<T> work;
    private final CompletableFuture<T> result;

    Task(String what, Work<T> work, CompletableFuture<T> result) {
      this.what = what;
      this.work = work;
      this.result = result;
    }

    @Override
    public void run() {
      try {
        result.complete(transactionHere(what, work));
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    }

    void fail() {
      result.completeExceptionally(
          new StoreException(what + ": the subscription store closed before it ran"));
    }
  }

  private static void rollback(Connection connection, String what) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      LOG.warn("subscription store: rollback of '{}' failed", what, e);
    }
  }

  /** Named daemon threads: a store left open must not keep the JVM alive. */
  private static final class StoreThreads implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, "subscription-store-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }
}
