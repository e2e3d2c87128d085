package org.passerelle.gateway.threads;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** One named daemon thread that runs tasks in the order given, at most a set number waiting. */
public final class BoundedThread {
  private BoundedThread() {}

  /**
   * The thread's executor; {@code execute} throws {@link RejectedExecutionException} once {@code
   * queueLimit} tasks wait, or after shutdown, unless another handler is set on it.
   */
  public static ThreadPoolExecutor named(String name, int queueLimit) {
    return new ThreadPoolExecutor(
        1,
        1,
        0,
        TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(queueLimit),
        runnable -> {
          Thread thread = new Thread(runnable, name);
          thread.setDaemon(true);
          return thread;
        });
  }
}
