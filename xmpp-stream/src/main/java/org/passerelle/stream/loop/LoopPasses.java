package org.passerelle.stream.loop;

import java.util.concurrent.atomic.LongAdder;

/**
 * What a group of event loops did, for the metrics: how often they went round (each pass is at most
 * one wake-up) and how often they slept out {@code io.coalesce} to let input gather. Written by the
 * loops, read by whoever scrapes.
 */
public final class LoopPasses {
  private final LongAdder passes = new LongAdder();
  private final LongAdder coalesced = new LongAdder();

  void passed() {
    passes.increment();
  }

  void slept() {
    coalesced.increment();
  }

  /** Times the loops went round since they started. */
  public long passes() {
    return passes.sum();
  }

  /** Times a loop slept out the rest of {@code io.coalesce} before it looked. */
  public long coalesced() {
    return coalesced.sum();
  }
}
