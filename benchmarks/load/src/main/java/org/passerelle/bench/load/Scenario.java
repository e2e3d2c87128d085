package org.passerelle.bench.load;

import java.time.Duration;
import java.util.Objects;

/**
 * One measured run: the system carrying the messages, a direction, open loop at {@code rate} or
 * closed loop with {@code window} messages outstanding, a warm-up at the same load (not measured),
 * then {@code duration} measured.
 */
public record Scenario(
    String name,
    SystemUnderTest system,
    Direction direction,
    Mode mode,
    int load,
    Duration warmup,
    Duration duration) {

  public enum Direction {
    /** Remote XMPP server → S2S → proxy → link → gateway → SIP MESSAGE → SIP sink. */
    XMPP_TO_SIP("xmpp-sip"),
    /** SIP client → MESSAGE → gateway → link → proxy → S2S → the simulator's S2S sink. */
    SIP_TO_XMPP("sip-xmpp"),
    /**
     * Not Passerelle: the reference an operator would otherwise run. c2s client → Prosody A → S2S →
     * Prosody B → c2s client (see {@link ProsodyBench}).
     */
    XMPP_TO_XMPP("xmpp-xmpp"),
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
    Objects.requireNonNull(system, "system");
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
    if (system == SystemUnderTest.RELAY && direction != Direction.XMPP_TO_SIP) {
      throw new IllegalArgumentException("the relays carry the XMPP→SIP messages only");
    }
    if ((system == SystemUnderTest.PROSODY) != (direction == Direction.XMPP_TO_XMPP)) {
      throw new IllegalArgumentException("XMPP→XMPP is Prosody's, and Prosody carries only it");
    }
  }

  /** Open loop through Passerelle, or through Prosody for {@code XMPP_TO_XMPP}. */
  public static Scenario open(Direction direction, int rate, int warmupSeconds, int seconds) {
    return new Scenario(
        direction.label + "-open-" + rate,
        carrying(direction),
        direction,
        Mode.OPEN,
        rate,
        Duration.ofSeconds(warmupSeconds),
        Duration.ofSeconds(seconds));
  }

  /** Closed loop through Passerelle, or through Prosody for {@code XMPP_TO_XMPP}. */
  public static Scenario closed(Direction direction, int window, int warmupSeconds, int seconds) {
    return new Scenario(
        direction.label + "-closed-" + window,
        carrying(direction),
        direction,
        Mode.CLOSED,
        window,
        Duration.ofSeconds(warmupSeconds),
        Duration.ofSeconds(seconds));
  }

  private static SystemUnderTest carrying(Direction direction) {
    return direction == Direction.XMPP_TO_XMPP
        ? SystemUnderTest.PROSODY
        : SystemUnderTest.PASSERELLE;
  }

  /** The XMPP→SIP messages, open loop, through the two bare relays. */
  public static Scenario relayOpen(int rate, int warmupSeconds, int seconds) {
    return new Scenario(
        "relay-open-" + rate,
        SystemUnderTest.RELAY,
        Direction.XMPP_TO_SIP,
        Mode.OPEN,
        rate,
        Duration.ofSeconds(warmupSeconds),
        Duration.ofSeconds(seconds));
  }

  /** The XMPP→SIP messages, closed loop, through the two bare relays. */
  public static Scenario relayClosed(int window, int warmupSeconds, int seconds) {
    return new Scenario(
        "relay-closed-" + window,
        SystemUnderTest.RELAY,
        Direction.XMPP_TO_SIP,
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
