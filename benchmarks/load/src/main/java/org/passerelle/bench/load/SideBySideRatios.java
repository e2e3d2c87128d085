package org.passerelle.bench.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Passerelle ÷ Prosody for each load of a side-by-side suite. Each Passerelle run and the Prosody
 * run right after it at the same load form a pair, measured under nearly the same machine noise; a
 * figure's ratio is the median of its pairs' ratios.
 *
 * @param mode open or closed loop
 * @param load the target rate or window
 * @param pairs how many pairs the medians are taken over
 * @param cpu CPU µs per message of the two server processes together, Passerelle ÷ Prosody
 * @param throughput delivered msg/s, Passerelle ÷ Prosody
 * @param p99 latency p99, Passerelle ÷ Prosody
 * @param passerelle the median figures of Passerelle's runs
 * @param prosody the median figures of Prosody's runs
 * @param loadAverage the median 1-minute load average at the runs' starts
 */
public record SideBySideRatios(
    Scenario.Mode mode,
    int load,
    int pairs,
    double cpu,
    double throughput,
    double p99,
    Medians passerelle,
    Medians prosody,
    double loadAverage) {

  /** Median figures of one system's runs at one load. */
  public record Medians(double cpuSum, double perSecond, double p99Ms) {}

  /** The ratios of every load that has at least one pair, in the order of the suite. */
  public static List<SideBySideRatios> of(List<RunReport> reports) {
    Map<String, List<RunReport[]>> pairs = new LinkedHashMap<>();
    for (int i = 0; i + 1 < reports.size(); i++) {
      RunReport a = reports.get(i);
      RunReport b = reports.get(i + 1);
      if (a.scenario().system() == SystemUnderTest.PASSERELLE
          && a.scenario().direction() == Scenario.Direction.XMPP_TO_SIP
          && b.scenario().system() == SystemUnderTest.PROSODY
          && a.scenario().mode() == b.scenario().mode()
          && a.scenario().load() == b.scenario().load()) {
        pairs.computeIfAbsent(key(a), k -> new ArrayList<>()).add(new RunReport[] {a, b});
        i++;
      }
    }
    List<SideBySideRatios> ratios = new ArrayList<>();
    for (List<RunReport[]> group : pairs.values()) {
      Scenario scenario = group.get(0)[0].scenario();
      ratios.add(
          new SideBySideRatios(
              scenario.mode(),
              scenario.load(),
              group.size(),
              medianRatio(group, RunReport::cpuSum),
              medianRatio(group, RunReport::deliveredPerSecond),
              medianRatio(group, RunReport::p99Ms),
              medians(group, 0),
              medians(group, 1),
              median(
                  group.stream()
                      .flatMap(p -> Arrays.stream(p))
                      .mapToDouble(r -> r.loadAverage()))));
    }
    return ratios;
  }

  private static String key(RunReport report) {
    return report.scenario().mode() + "-" + report.scenario().load();
  }

  private static double medianRatio(List<RunReport[]> pairs, ToDoubleFunction<RunReport> figure) {
    return median(
        pairs.stream().mapToDouble(p -> figure.applyAsDouble(p[0]) / figure.applyAsDouble(p[1])));
  }

  private static Medians medians(List<RunReport[]> pairs, int side) {
    return new Medians(
        median(pairs.stream().mapToDouble(p -> p[side].cpuSum())),
        median(pairs.stream().mapToDouble(p -> p[side].deliveredPerSecond())),
        median(pairs.stream().mapToDouble(p -> p[side].p99Ms())));
  }

  static double median(java.util.stream.DoubleStream values) {
    double[] sorted = values.sorted().toArray();
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  private String label() {
    return mode == Scenario.Mode.OPEN ? "open " + load + "/s" : "closed " + load;
  }

  public String toJson() {
    return String.format(
            Locale.ROOT,
            "{\"ratios\":true,\"mode\":\"%s\",\"%s\":%d,\"pairs\":%d,"
                + "\"cpu_us_per_msg_ratio\":%.3f,\"delivered_per_s_ratio\":%.3f,"
                + "\"latency_p99_ratio\":%.3f,"
                + "\"passerelle_cpu_us_per_msg\":%.1f,\"prosody_cpu_us_per_msg\":%.1f,"
                + "\"passerelle_delivered_per_s\":%.0f,\"prosody_delivered_per_s\":%.0f,"
                + "\"passerelle_latency_p99_ms\":%.2f,\"prosody_latency_p99_ms\":%.2f,"
                + "\"load_average_1m\":%.2f}",
            mode.name().toLowerCase(Locale.ROOT),
            mode == Scenario.Mode.OPEN ? "target_rate" : "window",
            load,
            pairs,
            cpu,
            throughput,
            p99,
            passerelle.cpuSum(),
            prosody.cpuSum(),
            passerelle.perSecond(),
            prosody.perSecond(),
            passerelle.p99Ms(),
            prosody.p99Ms(),
            loadAverage)
        .replace("NaN", "null");
  }

  public static String tableHeader() {
    return String.format(
        Locale.ROOT,
        "%-15s %5s %17s %10s %17s %10s %17s %8s %5s%n%s",
        "Passerelle ÷",
        "pairs",
        "µs/msg P vs Pr",
        "CPU ratio",
        "msg/s P vs Pr",
        "msg/s rt",
        "p99 ms P vs Pr",
        "p99 rt",
        "load",
        "-".repeat(112));
  }

  public String tableRow() {
    return String.format(
        Locale.ROOT,
        "%-15s %5d %8.1f/%-8.1f %10.2f %8.0f/%-8.0f %10.2f %8.2f/%-8.2f %8.2f %5.2f",
        label(),
        pairs,
        passerelle.cpuSum(),
        prosody.cpuSum(),
        cpu,
        passerelle.perSecond(),
        prosody.perSecond(),
        throughput,
        passerelle.p99Ms(),
        prosody.p99Ms(),
        p99,
        loadAverage);
  }
}
