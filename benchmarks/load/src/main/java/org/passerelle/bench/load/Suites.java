package org.passerelle.bench.load;

import static org.passerelle.bench.load.Scenario.Direction.PRESENCE_SIP_TO_XMPP;
import static org.passerelle.bench.load.Scenario.Direction.PRESENCE_XMPP_TO_SIP;
import static org.passerelle.bench.load.Scenario.Direction.SIP_TO_XMPP;
import static org.passerelle.bench.load.Scenario.Direction.XMPP_TO_SIP;

import java.util.List;

/** The named suites {@code benchmarks/run} runs. */
public final class Suites {
  /**
   * Messages outstanding in closed loop: enough to keep both processes busy, and half the proxy's
   * default {@code link.window}, so that the lag of link acknowledgements never makes the proxy
   * refuse at saturation (refusals are what the {@code recovery} suite measures).
   */
  static final int WINDOW = 1000;

  private Suites() {}

  /**
   * Whether each scenario gets freshly started processes: the standard suite overloads them, and an
   * overloaded gateway and proxy take longer to recover than a scenario's drain.
   */
  public static boolean freshProcesses(String name) {
    return name.equals("standard");
  }

  public static List<Scenario> named(String name) {
    return switch (name) {
      // A few seconds at a low rate: for the build's smoke test.
      case "smoke" ->
          List.of(Scenario.open(XMPP_TO_SIP, 200, 1, 3), Scenario.open(SIP_TO_XMPP, 200, 1, 3));
      // Under a minute with the processes' start.
      case "quick" ->
          List.of(
              Scenario.open(XMPP_TO_SIP, 2000, 4, 8),
              Scenario.closed(XMPP_TO_SIP, WINDOW, 2, 8),
              Scenario.open(SIP_TO_XMPP, 2000, 2, 6),
              Scenario.closed(SIP_TO_XMPP, WINDOW, 2, 6));
      // Saturation one way only, for A/B comparisons of two builds: a longer warm-up than quick's
      // (fresh processes, and no open-loop scenario before it to compile the hot paths).
      case "xmpp-sip-closed" -> List.of(Scenario.closed(XMPP_TO_SIP, WINDOW, 10, 10));
      // The targets of issue 7: 4,000/s paced, 24,000/s sustained, saturation; both ways.
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
                  + " (smoke, quick, xmpp-sip-closed, standard, recovery, presence,"
                  + " presence-sip-xmpp, presence-xmpp-sip)");
    };
  }
}
