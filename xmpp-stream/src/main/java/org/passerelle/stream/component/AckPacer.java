package org.passerelle.stream.component;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * When to acknowledge the stanzas a link peer sent (XEP-0198 §4, {@code <a/>}). Acknowledging after
 * every read meant, at a paced rate, one TLS record written here and one wake-up of the peer per
 * stanza. Instead an acknowledgement goes out once {@link #BATCH} stanzas wait for one, or {@link
 * #DELAY_MILLIS} after the first of them, whichever comes first: well within the peer's window
 * (thousands of stanzas), a few milliseconds on a SIP sender's 202, and one write per batch at any
 * rate. An {@code <r/>} or the end of the stream is still answered at once, by the caller, which
 * then tells the pacer it {@linkplain #acknowledged() acknowledged}. Confined to the link's event
 * loop.
 */
public final class AckPacer {
  public static final int BATCH = 64;
  public static final long DELAY_MILLIS = 5;

  /** Runs a task after a delay; returns what cancels it. */
  @FunctionalInterface
  public interface Scheduler {
    Runnable schedule(Runnable task, long delayMillis);

    static Scheduler on(EventExecutor loop) {
      return (task, delayMillis) -> {
        ScheduledFuture<?> future = loop.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
      };
    }
  }

  private final Scheduler scheduler;
  private final Runnable acknowledge;
  private int waiting;
  private Runnable cancelTimer;

  /**
   * @param acknowledge writes and flushes an {@code <a/>} with the current count, if the stream is
   *     still open
   */
  public AckPacer(Scheduler scheduler, Runnable acknowledge) {
    this.scheduler = scheduler;
    this.acknowledge = acknowledge;
  }

  /** A stanza was handled and counted. */
  public void handled() {
    waiting++;
  }

  /** A read ended: acknowledges now if a batch waits, or makes sure it will be soon. */
  public void readComplete() {
    if (waiting >= BATCH) {
      acknowledgeNow();
    } else if (waiting > 0 && cancelTimer == null) {
      cancelTimer = scheduler.schedule(this::acknowledgeNow, DELAY_MILLIS);
    }
  }

  /** The caller acknowledged everything by itself (an answer to {@code <r/>}, a closing stream). */
  public void acknowledged() {
    waiting = 0;
    stopTimer();
  }

  /** How many handled stanzas wait for an acknowledgement. */
  public int waiting() {
    return waiting;
  }

  private void acknowledgeNow() {
    stopTimer();
    if (waiting > 0) {
      waiting = 0;
      acknowledge.run();
    }
  }

  private void stopTimer() {
    if (cancelTimer != null) {
      cancelTimer.run();
      cancelTimer = null;
    }
  }
}
