package org.passerelle.proxy.policy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand; also a nanosecond source for the rate limits. */
public final class MutableClock extends Clock {
  private Instant now = Instant.parse("2025-01-01T00:00:00Z");
  private long nanos = 1_000_000_000L;

  public void advance(Duration duration) {
    now = now.plus(duration);
    nanos += duration.toNanos();
  }

  public long nanoTime() {
    return nanos;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
