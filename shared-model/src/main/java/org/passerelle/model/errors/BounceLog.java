package org.passerelle.model.errors;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.function.Consumer;

/**
 * How many bounces get a line of their own: all of them while they are few, at most {@value
 * #LINES_PER_SECOND} a second; the rest of that second's are counted, by condition, and summed up
 * in one line when the next second's first bounce comes. A flood of refusals (a gateway's full
 * window at 24,000 stanzas a second, a burst of messages to a SIP user who does not exist) must
 * cost less than delivering them would: with a line each it cost the proxy more, and it fell behind
 * the rate it was refusing. The proxy's router and the gateway's message bridge each keep one;
 * their metrics count every bounce.
 */
public final class BounceLog {
  public static final int LINES_PER_SECOND = 20;
  private static final long WINDOW_MILLIS = 1_000;
  private static final StanzaCondition[] CONDITIONS = StanzaCondition.values();

  private final InstantSource clock;
  private final Consumer<String> summary;
  private final long[] unlogged = new long[CONDITIONS.length];
  private long windowStart = Long.MIN_VALUE;
  private int lines;
  private long unloggedTotal;

  /**
   * @param summary receives the line that sums up a second's bounces left without one
   */
  public BounceLog(InstantSource clock, Consumer<String> summary) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.summary = Objects.requireNonNull(summary, "summary");
  }

  /** Counts a bounce; whether it gets a line of its own. */
  public synchronized boolean lineFor(StanzaCondition condition) {
    long now = clock.millis();
    if (windowStart == Long.MIN_VALUE || now - windowStart >= WINDOW_MILLIS) {
      summarise();
      windowStart = now;
      lines = 0;
    }
    if (lines < LINES_PER_SECOND) {
      lines++;
      return true;
    }
    unlogged[condition.ordinal()]++;
    unloggedTotal++;
    return false;
  }

  private void summarise() {
    if (unloggedTotal == 0) {
      return;
    }
    StringJoiner conditions = new StringJoiner(", ");
    for (StanzaCondition condition : CONDITIONS) {
      long count = unlogged[condition.ordinal()];
      if (count > 0) {
        conditions.add(condition.elementName() + " " + count);
      }
    }
    summary.accept(
        "bounced "
            + unloggedTotal
            + " more stanza(s) in the second from "
            + Instant.ofEpochMilli(windowStart)
            + " without a line each, past "
            + LINES_PER_SECOND
            + " a second: "
            + conditions);
    Arrays.fill(unlogged, 0);
    unloggedTotal = 0;
  }
}
