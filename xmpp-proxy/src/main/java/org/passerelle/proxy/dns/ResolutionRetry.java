package org.passerelle.proxy.dns;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link RetryingResolver} retries and remembers failed resolutions, checked when built. Read
 * from the {@code dns:} section of the proxy's configuration.
 *
 * @param negativeTtl how long a failed resolution is remembered: stanzas for that domain are
 *     bounced at once instead of asking DNS again
 * @param retries how many times a resolution that failed because DNS did not answer (timeout,
 *     SERVFAIL) is tried again before it counts as failed
 * @param backoff the wait before the first retry; each further retry waits twice as long
 */
public record ResolutionRetry(Duration negativeTtl, int retries, Duration backoff) {

  /**
   * Short: a domain that just appeared, or a DNS fault just repaired, is tried again soon, yet a
   * burst of stanzas for a dead domain asks DNS once.
   */
  public static final Duration DEFAULT_NEGATIVE_TTL = Duration.ofSeconds(30);

  /** 1 s, 2 s and 4 s: seven seconds of waiting, well inside the 60 s stream set-up time. */
  public static final int DEFAULT_RETRIES = 3;

  public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(1);

  public static final int MAX_RETRIES = 10;
  public static final Duration MAX_NEGATIVE_TTL = Duration.ofHours(1);
  public static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

  public static final ResolutionRetry DEFAULTS =
      new ResolutionRetry(DEFAULT_NEGATIVE_TTL, DEFAULT_RETRIES, DEFAULT_BACKOFF);

  public ResolutionRetry {
    within("dns.negative-ttl", negativeTtl, MAX_NEGATIVE_TTL);
    if (retries < 0 || retries > MAX_RETRIES) {
      throw new IllegalArgumentException(
          "dns.retries must be between 0 and " + MAX_RETRIES + ", was " + retries);
    }
    within("dns.retry-backoff", backoff, MAX_BACKOFF);
  }

  /** The wait before retry number {@code retry} (0 for the first). */
  Duration delayBefore(int retry) {
    return backoff.multipliedBy(1L << retry);
  }

  private static void within(String key, Duration value, Duration max) {
    Objects.requireNonNull(value, key);
    if (value.isNegative() || value.isZero() || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          key + " must be longer than zero and at most " + max + ", was " + value);
    }
  }
}
