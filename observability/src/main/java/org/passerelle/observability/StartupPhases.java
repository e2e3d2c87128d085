package org.passerelle.observability;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * How long each phase of a process's start took, for the one line an operator reads when asking why
 * a restart was slow: {@code ready in 1840 ms (JVM 420 ms before main; config 95, tls 310, ...)}.
 * Phases run one after another ({@link #mark}) or side by side ({@link #time}, called from any
 * thread); the line lists them in the order they ended. Nothing is measured before {@link
 * #startingNow()}, except the JVM's own start, which the runtime reports.
 */
public final class StartupPhases {
  private final long jvmMillisBeforeMain;
  private final long startedNanos;
  private final List<String> phases = new ArrayList<>();
  private long lastMarkNanos;
  private boolean reported;

  private StartupPhases(long jvmMillisBeforeMain, long startedNanos) {
    this.jvmMillisBeforeMain = jvmMillisBeforeMain;
    this.startedNanos = startedNanos;
    this.lastMarkNanos = startedNanos;
  }

  /** Call first thing in {@code main}: what went before is the JVM's own start. */
  public static StartupPhases startingNow() {
    return since(System.nanoTime());
  }

  /**
   * Counted from {@code mainNanos}, a {@link System#nanoTime()} taken first thing in {@code main}
   * (by a command line that decides later whether to start a process).
   */
  public static StartupPhases since(long mainNanos) {
    // The runtime MXBean is loaded anyway by the process metrics (uptime, memory, threads).
    long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
    long sinceMain = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - mainNanos);
    return new StartupPhases(Math.max(0, uptime - sinceMain), mainNanos);
  }

  /** For tests and embedded use: no JVM time before it, counted from now. */
  public static StartupPhases untimedJvm() {
    return new StartupPhases(0, System.nanoTime());
  }

  /** The phase named {@code phase} ended now; it began at the previous mark (or the start). */
  public synchronized void mark(String phase) {
    long now = System.nanoTime();
    add(phase, now - lastMarkNanos);
    lastMarkNanos = now;
  }

  /**
   * Runs {@code work} as the phase {@code phase}, on the calling thread, which may be any: for
   * phases that run beside others. Does not move the mark.
   */
  public <T> T time(String phase, Callable<T> work) throws Exception {
    long began = System.nanoTime();
    try {
      return work.call();
    } finally {
      long took = System.nanoTime() - began;
      synchronized (this) {
        add(phase, took);
      }
    }
  }

  /**
   * Starts {@code work} as the phase {@code phase} on a thread of its own, for work independent of
   * what the caller does meanwhile (opening a database while TLS contexts load); {@link #join}
   * waits for it.
   */
  public <T> CompletableFuture<T> inBackground(String phase, Callable<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                result.complete(time(phase, work));
              } catch (Throwable e) {
                result.completeExceptionally(e);
              }
            },
            "start-" + phase.replace(' ', '-'));
    thread.setDaemon(true);
    thread.start();
    return result;
  }

  /**
   * Waits for work started with {@link #inBackground} and returns its result, throwing what it
   * threw as itself: an {@link IOException} or an unchecked exception; any other checked exception
   * wrapped in an {@link IllegalStateException}.
   */
  public static <T> T join(CompletableFuture<T> work) throws IOException {
    try {
      return work.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    }
  }

  private void add(String phase, long nanos) {
    Objects.requireNonNull(phase, "phase");
    phases.add(phase + " " + TimeUnit.NANOSECONDS.toMillis(nanos));
  }

  /** Milliseconds from the JVM's launch to now. */
  public long sinceLaunchMillis() {
    return jvmMillisBeforeMain + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
  }

  /**
   * The line for the log, once: {@code ready in N ms (JVM M ms before main; a 1, b 2)}, N counted
   * from the JVM's launch; empty after the first call, so that a process that becomes ready again
   * (a link that comes back) does not repeat it.
   */
  public synchronized Optional<String> readyLine() {
    if (reported) {
      return Optional.empty();
    }
    reported = true;
    return Optional.of(
        "ready in "
            + sinceLaunchMillis()
            + " ms ("
            + "JVM "
            + jvmMillisBeforeMain
            + " ms before main; "
            + String.join(", ", phases)
            + ")");
  }
}
