package org.passerelle.model.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@code io:} section both processes read.
 *
 * @param coalesce how long an event loop that has just woken lets input gather before it looks
 *     again, so that the messages arriving meanwhile share one wake-up (decision 20): each process
 *     adds at most this much latency, and only while messages arrive closer together than this;
 *     zero handles every event as it comes
 */
public record IoSettings(Duration coalesce) {
  public static final Duration DEFAULT_COALESCE = Duration.ofMillis(1);

  /** Longer would add latency people notice in a conversation, for no further saving. */
  public static final Duration MAX_COALESCE = Duration.ofMillis(10);

  public static final IoSettings DEFAULTS = new IoSettings(DEFAULT_COALESCE);

  public IoSettings {
    Objects.requireNonNull(coalesce, "coalesce");
    if (coalesce.isNegative() || coalesce.compareTo(MAX_COALESCE) > 0) {
      throw new IllegalArgumentException(
          "io.coalesce must be between 0 and 10ms, was " + coalesce.toNanos() / 1_000 + "us");
    }
  }

  /** Reads the {@code io:} section; absent keys take their defaults. */
  public static IoSettings read(ConfigReader section) {
    Duration coalesce = section.delay("coalesce", DEFAULT_COALESCE);
    if (coalesce.compareTo(MAX_COALESCE) > 0) {
      throw section.error(
          "coalesce", "must be at most 10ms, was " + coalesce.toNanos() / 1_000 + "us");
    }
    return new IoSettings(coalesce);
  }
}
