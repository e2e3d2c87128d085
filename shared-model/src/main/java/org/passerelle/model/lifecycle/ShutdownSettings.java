package org.passerelle.model.lifecycle;

import java.time.Duration;
import java.util.Objects;
import org.passerelle.model.config.ConfigReader;

/**
 * The {@code shutdown:} section both processes read.
 *
 * @param drain how long a stopping process lets work under way finish (queued stanzas, SIP
 *     transactions, acknowledgements) before it answers what is left with an error and closes
 */
public record ShutdownSettings(Duration drain) {
  public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(10);

  /**
   * Longer drains are refused: supervisors kill a process that takes this long to stop (systemd
   * waits 90 s by default, Docker 10 s unless told otherwise), and stanzas would wait that long.
   */
  public static final Duration MAX_DRAIN = Duration.ofMinutes(5);

  public static final ShutdownSettings DEFAULTS = new ShutdownSettings(DEFAULT_DRAIN);

  public ShutdownSettings {
    Objects.requireNonNull(drain, "drain");
    if (drain.isNegative() || drain.isZero() || drain.compareTo(MAX_DRAIN) > 0) {
      throw new IllegalArgumentException(
          "shutdown.drain must be longer than zero and at most 5m, was " + drain);
    }
  }

  /** Reads the {@code shutdown:} section; absent keys take their defaults. */
  public static ShutdownSettings read(ConfigReader section) {
    Duration drain = section.duration("drain", DEFAULT_DRAIN);
    if (drain.compareTo(MAX_DRAIN) > 0) {
      throw section.error("drain", "must be at most 5m, was " + drain.toSeconds() + "s");
    }
    return new ShutdownSettings(drain);
  }
}
