package org.passerelle.model.lifecycle;

import java.util.concurrent.atomic.AtomicReference;

/** The {@link Phase} of one part, readable from any thread; the one place where it changes. */
public final class Lifecycle {
  private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.RUNNING);

  public Phase phase() {
    return phase.get();
  }

  public boolean isRunning() {
    return phase.get() == Phase.RUNNING;
  }

  /**
   * Moves forward to {@code next}. Returns {@code false}, changing nothing, when the part is
   * already there or beyond: drain and stop may be asked more than once (a shutdown hook and a
   * test, say).
   */
  public boolean advance(Phase next) {
    while (true) {
      Phase current = phase.get();
      if (!current.precedes(next)) {
        return false;
      }
      if (phase.compareAndSet(current, next)) {
        return true;
      }
    }
  }

  @Override
  public String toString() {
    return phase.get().name().toLowerCase(java.util.Locale.ROOT);
  }
}
