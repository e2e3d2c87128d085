package org.passerelle.model.lifecycle;

/**
 * Where a part of a process is in its life. Transitions go forward only ({@link Lifecycle} makes
 * them); a part that is told twice to drain or to stop does nothing the second time.
 */
public enum Phase {
  /** Accepting and serving. */
  RUNNING,
  /**
   * Stopping: nothing new is accepted, what is under way may finish, bounded by {@code
   * shutdown.drain}.
   */
  DRAINING,
  /** What the drain did not finish has been answered with an error; connections close. */
  STOPPED;

  /** Whether {@code next} comes after this phase. */
  boolean precedes(Phase next) {
    return next.ordinal() > ordinal();
  }
}
