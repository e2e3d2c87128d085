package org.passerelle.gateway.lifecycle;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for something another thread makes true; fails with what was awaited. */
final class Awaiting {
  static final Duration WAIT = Duration.ofSeconds(15);

  private Awaiting() {}

  static void until(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting: " + what, e);
      }
    }
  }
}
