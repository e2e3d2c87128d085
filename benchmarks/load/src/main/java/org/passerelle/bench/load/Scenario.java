package org.passerelle.bench.load;

import java.time.Duration;
import java.util.Objects;

/**
 * One measured run: a direction, open loop at {@code rate} or closed loop with {@code window}
 * messages outstanding, a warm-up at the same load (not measured), then {@code duration} measured.
 */
public record Scenario(
    String name, Direction direction, Mode mode, int load, Duration warmup, Duration duration) {

  public enum Direction {
    /** Remote XMPP server → S2S → proxy → link → gateway → SIP MESSAGE → SIP sink. */
    XMPP_TO_SIP("xmpp-sip"),
    /** SIP client → MESSAGE → gateway → link → proxy → S2S → the simulator's S2S sink. */
    SIP_TO_XMPP("sip-xmpp"),
    /**
     * The NOTIFY storm: in-dialog NOTIFYs with PIDF from the SIP side → gateway → link → proxy →
     * S2S {@code <presence/>} to the remote watchers.
     */
    PRESENCE_SIP_TO_XMPP("presence-sip-xmpp"),
    /**
     * Presence broadcasts: remote contacts' {@code <presence/>} → S2S → proxy → link → gateway →
     * NOTIFY to the SIP watchers.
     */
    PRESENCE_XMPP_TO_SIP("presence-xmpp-sip");

    final String label;

    Direction(String label) {
      this.label = label;
    }

    /** Whether it needs the presence subscriptions set up first. */
    boolean isPresence() {
      return this == PRESENCE_SIP_TO_XMPP || this == PRESENCE_XMPP_TO_SIP;
    }
  }

  public enum Mode {
    OPEN,
    CLOSED
  }

  public Scenario {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(mode, "mode");
    if (load < 1 || load > 1_000_000) {
      throw new IllegalArgumentException("load (rate or window) must be 1..1,000,000, was " + load);
    }
    if (duration.isNegative() || duration.isZero() || duration.toMinutes() > 10) {
      throw new IllegalArgumentException("duration must be 1 s..10 min, was " + duration);
    }
    if (warmup.isNegative() || warmup.toMinutes() > 5) {
      throw new IllegalArgumentException("warm-up must be 0..5 min, was " + warmup);
    }
  }

  public static Scenario open(Direction direction, int rate, int warmupSeconds, int seconds) {
    return new Scenario(
        direction.label + "-open-" + rate,
        direction,
        Mode.OPEN,
        rate,
        Duration.ofSeconds(warmupSeconds),
        Duration.ofSeconds(seconds));
  }

  public static Scenario closed(Direction direction, int window, int warmupSeconds, int seconds) {
    return new Scenario(
        direction.label + "-closed-" + window,
        direction,
        Mode.CLOSED,
        window,
        Duration.ofSeconds(warmupSeconds),
        Duration.ofSeconds(seconds));
  }

  /** The most messages a phase of {@code length} may send: the ledger's size. */
  long capacity(Duration length) {
    long seconds = Math.max(1, length.toSeconds());
    // Closed loop is bounded by time; 200,000/s is far above what two cores can carry.
    long perSecond = mode == Mode.OPEN ? load : 200_000;
    return Math.min(100_000_000, perSecond * seconds + 1);
  }
}
