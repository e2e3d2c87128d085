package org.passerelle.bench.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.passerelle.bench.load.Scenario.Mode;

/**
 * Passerelle's XMPP→SIP against the bare relays' floor at the same load (issue 7: "measure the
 * bare-relay floor in the same run and report the ratio to it"): medians over the runs of a suite,
 * so that one disturbed run on a shared machine does not decide the ratio.
 *
 * @param cpuPasserelle proxy + gateway CPU µs per delivered message, median
 * @param cpuRelay relay 1 + relay 2 CPU µs per delivered message, median
 * @param loadAverage the median 1-minute load average when the runs started
 */
public record FloorRatio(
    Mode mode,
    int load,
    int passerelleRuns,
    int relayRuns,
    double cpuPasserelle,
    double cpuRelay,
    double deliveredPasserelle,
    double deliveredRelay,
    double p99Passerelle,
    double p99Relay,
    double loadAverage) {

  /** Passerelle's CPU per message in multiples of the floor's. */
  public double cpuRatio() {
    return cpuPasserelle / cpuRelay;
  }

  /** Passerelle's delivered rate as a share of the floor's (at saturation: closed loop). */
  public double throughputRatio() {
    return deliveredPasserelle / deliveredRelay;
  }

  /** One ratio per (mode, load) that both systems ran in XMPP→SIP; none without relay runs. */
  public static List<FloorRatio> of(List<RunReport> reports) {
    List<FloorRatio> ratios = new ArrayList<>();
    for (RunReport relay : reports) {
      Scenario key = relay.scenario();
      if (key.system() != SystemUnderTest.RELAY
          || ratios.stream().anyMatch(r -> r.mode() == key.mode() && r.load() == key.load())) {
        continue;
      }
      List<RunReport> relays = matching(reports, SystemUnderTest.RELAY, key);
      List<RunReport> ours = matching(reports, SystemUnderTest.PASSERELLE, key);
      if (ours.isEmpty()) {
        continue;
      }
      List<RunReport> all = new ArrayList<>(ours);
      all.addAll(relays);
      ratios.add(
          new FloorRatio(
              key.mode(),
              key.load(),
              ours.size(),
              relays.size(),
              median(ours, RunReport::cpuSum),
              median(relays, RunReport::cpuSum),
              median(ours, RunReport::deliveredPerSecond),
              median(relays, RunReport::deliveredPerSecond),
              median(ours, RunReport::p99Ms),
              median(relays, RunReport::p99Ms),
              median(all, RunReport::loadAverage)));
    }
    return ratios;
  }

  private static List<RunReport> matching(
      List<RunReport> reports, SystemUnderTest system, Scenario key) {
    return reports.stream()
        .filter(r -> r.scenario().system() == system)
        .filter(r -> r.scenario().direction() == Scenario.Direction.XMPP_TO_SIP)
        .filter(r -> r.scenario().mode() == key.mode() && r.scenario().load() == key.load())
        .toList();
  }

  /** The median of the figures that exist (a run that delivered nothing has no CPU per message). */
  static double median(List<RunReport> reports, ToDoubleFunction<RunReport> figure) {
    double[] values = reports.stream().mapToDouble(figure).filter(v -> !Double.isNaN(v)).toArray();
    if (values.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(values);
    int middle = values.length / 2;
    return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
  }

  public String toJson() {
    return String.format(
            Locale.ROOT,
            "{\"floor_ratio\":true,\"direction\":\"xmpp-sip\",\"mode\":\"%s\",\"%s\":%d,"
                + "\"passerelle_runs\":%d,\"relay_runs\":%d,"
                + "\"cpu_us_per_msg_passerelle_median\":%.3f,\"cpu_us_per_msg_relay_median\":%.3f,"
                + "\"cpu_ratio\":%.3f,\"delivered_per_s_passerelle_median\":%.3f,"
                + "\"delivered_per_s_relay_median\":%.3f,\"throughput_ratio\":%.3f,"
                + "\"latency_p99_ms_passerelle_median\":%.3f,\"latency_p99_ms_relay_median\":%.3f,"
                + "\"load_average_1m_median\":%.3f}",
            mode.name().toLowerCase(Locale.ROOT),
            mode == Mode.OPEN ? "target_rate" : "window",
            load,
            passerelleRuns,
            relayRuns,
            cpuPasserelle,
            cpuRelay,
            cpuRatio(),
            deliveredPasserelle,
            deliveredRelay,
            throughputRatio(),
            p99Passerelle,
            p99Relay,
            loadAverage)
        .replaceAll("(?<=:)(NaN|-?Infinity)", "null");
  }

  public static String tableHeader() {
    return String.format(
        Locale.ROOT,
        "%-22s %5s %13s %10s %7s %12s %12s %7s %19s %6s%n%s",
        "floor (medians)",
        "runs",
        "passerelle µs",
        "relay µs",
        "ratio",
        "passerelle/s",
        "relay/s",
        "ratio",
        "p99 ms p/r",
        "load",
        "-".repeat(126));
  }

  public String tableRow() {
    return String.format(
        Locale.ROOT,
        "%-22s %2d/%-2d %13.1f %10.1f %7.2f %12.0f %12.0f %7.3f %9.1f / %-7.1f %6.1f",
        "xmpp-sip " + mode.name().toLowerCase(Locale.ROOT) + "-" + load,
        passerelleRuns,
        relayRuns,
        cpuPasserelle,
        cpuRelay,
        cpuRatio(),
        deliveredPasserelle,
        deliveredRelay,
        throughputRatio(),
        p99Passerelle,
        p99Relay,
        loadAverage);
  }
}
