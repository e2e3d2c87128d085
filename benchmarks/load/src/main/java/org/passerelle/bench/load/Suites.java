package org.passerelle.bench.load;

import static org.passerelle.bench.load.Scenario.Direction.PRESENCE_SIP_TO_XMPP;
import static org.passerelle.bench.load.Scenario.Direction.PRESENCE_XMPP_TO_SIP;
import static org.passerelle.bench.load.Scenario.Direction.SIP_TO_XMPP;
import static org.passerelle.bench.load.Scenario.Direction.XMPP_TO_SIP;
import static org.passerelle.bench.load.Scenario.Direction.XMPP_TO_XMPP;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The named suites {@code benchmarks/run} runs. */
public final class Suites {
  /**
   * Messages outstanding in closed loop: enough to keep both processes busy, and half the proxy's
   * default {@code link.window}, so that the lag of link acknowledgements never makes the proxy
   * refuse at saturation (refusals are what the {@code recovery} suite measures).
   */
  static final int WINDOW = 1000;

  /** Rounds of the {@code floor} suite: three, so that a median means something. */
  static final int FLOOR_ROUNDS = 3;

  /** The offered rates of the {@code curve} suite, msg/s. */
  static final List<Integer> CURVE_RATES =
      List.of(500, 1000, 2000, 4000, 8000, 12000, 16000, 24000);

  private Suites() {}

  /**
   * Whether each scenario gets freshly started processes: the standard suite overloads them, and
   * its scenarios should not depend on their order; the floor suite alternates between Passerelle
   * and the relays, which take the same addresses. (The Prosody pair of side-by-side has addresses
   * of its own and runs beside Passerelle throughout.)
   */
  public static boolean freshProcesses(String name) {
    return name.equals("standard") || name.equals("floor");
  }

  public static List<Scenario> named(String name) {
    return switch (name) {
      // A few seconds at a low rate: for the build's smoke test.
      case "smoke" ->
          List.of(Scenario.open(XMPP_TO_SIP, 200, 1, 3), Scenario.open(SIP_TO_XMPP, 200, 1, 3));
      // The bare relays for a few seconds at a low rate: for the build's smoke test.
      case "relay-smoke" -> List.of(Scenario.relayOpen(200, 1, 3));
      // About 40 s with the processes' start, so that `benchmarks/run quick`, micro-benchmarks
      // included, stays under a minute.
      case "quick" ->
          List.of(
              Scenario.open(XMPP_TO_SIP, 2000, 3, 6),
              Scenario.closed(XMPP_TO_SIP, WINDOW, 2, 6),
              Scenario.open(SIP_TO_XMPP, 2000, 2, 5),
              Scenario.closed(SIP_TO_XMPP, WINDOW, 2, 5));
      // Saturation one way only, for A/B comparisons of two builds: a longer warm-up than quick's
      // (fresh processes, and no open-loop scenario before it to compile the hot paths).
      case "xmpp-sip-closed" -> List.of(Scenario.closed(XMPP_TO_SIP, WINDOW, 10, 10));
      // The paced target one way, for A/B comparisons of two builds (CPU per message, p99).
      case "xmpp-sip-4000" -> List.of(Scenario.open(XMPP_TO_SIP, 4000, 10, 15));
      case "sip-xmpp-4000" -> List.of(Scenario.open(SIP_TO_XMPP, 4000, 10, 15));
      case "sip-xmpp-closed" -> List.of(Scenario.closed(SIP_TO_XMPP, WINDOW, 10, 10));
      // SIP→XMPP on processes kept running, as side-by-side measures XMPP→SIP warm: saturation
      // three times, then 4,000/s twice and 24,000/s paced.
      case "sip-xmpp-warm" ->
          List.of(
              Scenario.closed(SIP_TO_XMPP, WINDOW, 10, 10),
              Scenario.closed(SIP_TO_XMPP, WINDOW, 3, 10),
              Scenario.closed(SIP_TO_XMPP, WINDOW, 3, 10),
              Scenario.open(SIP_TO_XMPP, 4000, 3, 10),
              Scenario.open(SIP_TO_XMPP, 4000, 3, 10),
              Scenario.open(SIP_TO_XMPP, 24000, 3, 10));
      // The paced target both ways on processes kept running, each direction compiled at
      // saturation first: for A/B comparisons of CPU per message and p99 at 4,000/s.
      case "warm-4000" ->
          List.of(
              Scenario.closed(XMPP_TO_SIP, WINDOW, 10, 5),
              Scenario.open(XMPP_TO_SIP, 4000, 3, 10),
              Scenario.open(XMPP_TO_SIP, 4000, 3, 10),
              Scenario.closed(SIP_TO_XMPP, WINDOW, 5, 5),
              Scenario.open(SIP_TO_XMPP, 4000, 3, 10),
              Scenario.open(SIP_TO_XMPP, 4000, 3, 10));
      // The targets of issue 7: 4,000/s paced, 24,000/s sustained, saturation; both ways. (With
      // a Prosody pair it took 11.4 min on the loaded build machine: see side-by-side.)
      case "standard" ->
          List.of(
              Scenario.closed(XMPP_TO_SIP, WINDOW, 10, 20),
              Scenario.open(XMPP_TO_SIP, 1000, 3, 15),
              Scenario.open(XMPP_TO_SIP, 4000, 5, 20),
              Scenario.open(XMPP_TO_SIP, 12000, 5, 15),
              Scenario.open(XMPP_TO_SIP, 24000, 5, 20),
              Scenario.closed(SIP_TO_XMPP, WINDOW, 10, 20),
              Scenario.open(SIP_TO_XMPP, 4000, 5, 20),
              Scenario.open(SIP_TO_XMPP, 12000, 5, 15));
      // An overload, then a low rate on the same processes: does the pair recover? Every message
      // of the overload must be delivered or bounced, and the low-rate phase must lose nothing.
      case "recovery" ->
          List.of(
              Scenario.open(XMPP_TO_SIP, 12000, 0, 10),
              Scenario.open(XMPP_TO_SIP, 200, 0, 10),
              Scenario.open(SIP_TO_XMPP, 200, 0, 10));
      // The bare-relay floor of issue 7, in the same run: Passerelle's XMPP→SIP and the relays'
      // same messages, interleaved A/B/A/B, paced at 4,000/s and at saturation.
      case "floor" -> floor();
      // The same on processes kept running, both systems side by side: warm against warm.
      case "floor-warm" -> floorWarm();
      // Latency against offered load, for the chart (LatencyChart): one pair of processes, rates
      // rising, so that every step is measured with the hot paths compiled (with fresh processes
      // per step the low rates measured the JIT compiler); the first step warms up for 20 s.
      case "curve" -> {
        List<Scenario> steps = new ArrayList<>();
        for (int rate : CURVE_RATES) {
          steps.add(Scenario.open(XMPP_TO_SIP, rate, steps.isEmpty() ? 20 : 3, 6));
        }
        yield steps;
      }
      // Passerelle XMPP→SIP and Prosody → S2S → Prosody, A/B/A/B on processes kept running:
      // saturation, then 4,000/s and 1,000/s paced. The first run is warmed up longer (JIT).
      case "side-by-side" -> {
        List<Scenario> suite = new ArrayList<>();
        suite.addAll(interleaved(3, d -> Scenario.closed(d, WINDOW, 5, 10)));
        suite.set(0, Scenario.closed(XMPP_TO_SIP, WINDOW, 10, 10));
        suite.addAll(interleaved(3, d -> Scenario.open(d, 4000, 3, 10)));
        suite.addAll(interleaved(2, d -> Scenario.open(d, 1000, 2, 8)));
        yield suite;
      }
      // Presence through the subscriptions set up first (2,000 each way by default): the NOTIFY
      // storm from the SIP side, and the remote contacts' broadcasts.
      case "presence" ->
          List.of(
              Scenario.open(PRESENCE_SIP_TO_XMPP, 2000, 3, 10),
              Scenario.closed(PRESENCE_SIP_TO_XMPP, WINDOW, 2, 8),
              Scenario.open(PRESENCE_XMPP_TO_SIP, 2000, 3, 10),
              Scenario.closed(PRESENCE_XMPP_TO_SIP, WINDOW, 2, 8));
      // One presence direction at saturation, for A/B comparisons and profiles.
      case "presence-sip-xmpp" -> List.of(Scenario.closed(PRESENCE_SIP_TO_XMPP, WINDOW, 5, 15));
      case "presence-xmpp-sip" -> List.of(Scenario.closed(PRESENCE_XMPP_TO_SIP, WINDOW, 5, 15));
      default ->
          throw new IllegalArgumentException(
              "no suite "
                  + name
                  + " (smoke, relay-smoke, quick, xmpp-sip-closed, xmpp-sip-4000, sip-xmpp-4000,"
                  + " sip-xmpp-closed, sip-xmpp-warm, warm-4000,"
                  + " standard, recovery, floor, floor-warm,"
                  + " curve, side-by-side, presence, presence-sip-xmpp, presence-xmpp-sip)");
    };
  }

  private static List<Scenario> floor() {
    List<Scenario> scenarios = new ArrayList<>();
    for (int round = 0; round < FLOOR_ROUNDS; round++) {
      scenarios.add(Scenario.open(XMPP_TO_SIP, 4000, 5, 10));
      scenarios.add(Scenario.relayOpen(4000, 5, 10));
      scenarios.add(Scenario.closed(XMPP_TO_SIP, WINDOW, 8, 10));
      scenarios.add(Scenario.relayClosed(WINDOW, 8, 10));
    }
    return scenarios;
  }

  private static List<Scenario> floorWarm() {
    List<Scenario> scenarios = new ArrayList<>();
    scenarios.add(Scenario.closed(XMPP_TO_SIP, WINDOW, 10, 10));
    scenarios.add(Scenario.relayClosed(WINDOW, 10, 10));
    for (int round = 0; round < FLOOR_ROUNDS; round++) {
      scenarios.add(Scenario.open(XMPP_TO_SIP, 4000, 3, 10));
      scenarios.add(Scenario.relayOpen(4000, 3, 10));
    }
    for (int round = 1; round < FLOOR_ROUNDS; round++) {
      scenarios.add(Scenario.closed(XMPP_TO_SIP, WINDOW, 3, 10));
      scenarios.add(Scenario.relayClosed(WINDOW, 3, 10));
    }
    return scenarios;
  }

  /** {@code pairs} times Passerelle's XMPP→SIP scenario, then Prosody's same scenario. */
  static List<Scenario> interleaved(int pairs, Function<Scenario.Direction, Scenario> scenario) {
    List<Scenario> suite = new ArrayList<>();
    for (int i = 0; i < pairs; i++) {
      suite.add(scenario.apply(XMPP_TO_SIP));
      suite.add(scenario.apply(XMPP_TO_XMPP));
    }
    return suite;
  }
}
