package org.passerelle.model.lifecycle;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for work under way to finish, up to a deadline. The work is spread over event loops and
 * JAIN-SIP threads that do not report to one place, so this polls.
 */
public final class Drain {
  /** Often enough that a drain ends within a few tens of milliseconds of its last piece of work. */
  static final long POLL_MILLIS = 20;

  private Drain() {}

  /**
   * Returns {@code true} once {@code done} holds on two polls in a row — work handed from one
   * thread to another is not seen in between — or {@code false} when {@code limit} passes first.
   */
  public static boolean await(BooleanSupplier done, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    boolean doneBefore = false;
    while (true) {
      boolean doneNow = done.getAsBoolean();
      if (doneNow && doneBefore) {
        return true;
      }
      doneBefore = doneNow;
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      try {
        Thread.sleep(Math.min(POLL_MILLIS, Math.max(1, left / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }
}
