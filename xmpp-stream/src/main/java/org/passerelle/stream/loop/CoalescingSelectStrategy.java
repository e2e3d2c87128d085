package org.passerelle.stream.loop;

import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.util.IntSupplier;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Lets an NIO event loop wake at most once per interval while input trickles in, so that the
 * messages arriving meanwhile share one wake-up (decision 20). A loop that has not looked for the
 * interval looks at once, so a lone message is not delayed; one that finds input ready, or tasks
 * queued, goes on at once, so a busy loop never waits. Only a loop that looked less than the
 * interval ago and finds nothing sleeps out the rest of it before it selects. With an interval of
 * zero it is Netty's own strategy. Every pass is counted in {@link LoopPasses}.
 *
 * <p>One instance per loop, used only by its thread.
 */
public final class CoalescingSelectStrategy implements SelectStrategy {
  private final long intervalNanos;
  private final LoopPasses passes;
  private final LongSupplier clock;
  private final LongConsumer sleeper;
  private long lastLook;
  private boolean looked;

  CoalescingSelectStrategy(
      long intervalNanos, LoopPasses passes, LongSupplier clock, LongConsumer sleeper) {
    if (intervalNanos < 0) {
      throw new IllegalArgumentException("negative interval: " + intervalNanos);
    }
    this.intervalNanos = intervalNanos;
    this.passes = passes;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /**
   * A factory for loops that wake at most once per {@code intervalNanos} while input trickles
   * (zero: at every event), counting into {@code passes}.
   */
  public static SelectStrategyFactory factory(long intervalNanos, LoopPasses passes) {
    if (intervalNanos < 0) {
      throw new IllegalArgumentException("negative interval: " + intervalNanos);
    }
    return () ->
        new CoalescingSelectStrategy(
            intervalNanos, passes, System::nanoTime, LockSupport::parkNanos);
  }

  @Override
  public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
    passes.passed();
    if (intervalNanos == 0) {
      return hasTasks ? selectNow.get() : SelectStrategy.SELECT;
    }
    long now = clock.getAsLong();
    if (hasTasks) {
      look(now);
      return selectNow.get();
    }
    long since = now - lastLook;
    if (looked && since < intervalNanos) {
      int ready = selectNow.get();
      if (ready > 0) {
        look(now);
        return ready;
      }
      passes.slept();
      sleeper.accept(intervalNanos - since);
      now = clock.getAsLong();
    }
    look(now);
    return SelectStrategy.SELECT;
  }

  private void look(long now) {
    lastLook = now;
    looked = true;
  }
}
