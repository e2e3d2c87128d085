package org.passerelle.bench.load;

import java.time.Instant;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The figures of one measured scenario: one JSON line for machines (appended to {@code
 * results/*.jsonl}) and one table row for people.
 *
 * @param elapsedNanos from the first scheduled send to the last delivery
 * @param first the system's first server process: the proxy, relay 1, or Prosody A (the senders'
 *     server)
 * @param second the second: the gateway, relay 2, or Prosody B (the receivers' server)
 * @param loadAverage the machine's 1-minute load average when the scenario started (noise)
 */
public record RunReport(
    Instant at,
    Scenario scenario,
    long sent,
    long delivered,
    long duplicated,
    long bounced,
    long shed,
    long elapsedNanos,
    double p50Ms,
    double p99Ms,
    double p999Ms,
    double maxMs,
    ProcessFigures first,
    ProcessFigures second,
    ProcessFigures tool,
    double loadAverage) {

  static double millis(Histogram histogram, double percentile) {
    return histogram.getTotalCount() == 0
        ? Double.NaN
        : histogram.getValueAtPercentile(percentile) / 1e6;
  }

  /** Whose processes carried the messages: the scenario's. */
  public SystemUnderTest system() {
    return scenario.system();
  }

  public long lost() {
    return sent - delivered;
  }

  public double deliveredPerSecond() {
    return elapsedNanos <= 0 ? 0 : delivered * 1e9 / elapsedNanos;
  }

  public String toJson() {
    StringBuilder json = new StringBuilder(1024);
    json.append('{');
    field(json, "at", at.toString());
    field(json, "system", system().label);
    field(json, "scenario", scenario.name());
    field(json, "direction", scenario.direction().label);
    field(json, "mode", scenario.mode().name().toLowerCase(Locale.ROOT));
    number(json, scenario.mode() == Scenario.Mode.OPEN ? "target_rate" : "window", scenario.load());
    number(json, "duration_s", scenario.duration().toSeconds());
    number(json, "sent", sent);
    number(json, "delivered", delivered);
    number(json, "lost", lost());
    number(json, "duplicated", duplicated);
    number(json, "bounced", bounced);
    number(json, "shed_by_sender", shed);
    number(json, "delivered_per_s", deliveredPerSecond());
    number(json, "latency_p50_ms", p50Ms);
    number(json, "latency_p99_ms", p99Ms);
    number(json, "latency_p999_ms", p999Ms);
    number(json, "latency_max_ms", maxMs);
    process(json, system().first, first);
    process(json, system().second, second);
    number(json, "cpu_us_per_msg_" + system().first + "_plus_" + system().second, cpuSum());
    number(json, "cpu_us_per_msg_sum", cpuSum());
    number(json, "tool_cpu_us_per_msg", tool.cpuPerMessage(delivered));
    number(json, "tool_cores", tool.coreShare(elapsedNanos));
    number(json, "load_average_1m", loadAverage);
    json.setLength(json.length() - 1);
    return json.append('}').toString();
  }

  /** CPU microseconds per delivered message of the system's two server processes together. */
  public double cpuSum() {
    return first.cpuPerMessage(delivered) + second.cpuPerMessage(delivered);
  }

  private void process(StringBuilder json, String name, ProcessFigures figures) {
    number(json, name + "_cpu_us_per_msg", figures.cpuPerMessage(delivered));
    number(json, name + "_cores", figures.coreShare(elapsedNanos));
    number(json, name + "_rss_mib", figures.rssKib() / 1024.0);
    if (!system().jvm) {
      return;
    }
    number(json, name + "_heap_after_gc_mib", figures.gc().heapAfterMib());
    number(json, name + "_heap_committed_mib", figures.gc().heapCommittedMib());
    number(json, name + "_gc_pauses", figures.gc().count());
    number(json, name + "_gc_pause_total_ms", figures.gc().totalMs());
    number(json, name + "_gc_pause_max_ms", figures.gc().maxMs());
    number(json, name + "_start_to_ready_ms", figures.readyMillis());
  }

  private static void field(StringBuilder json, String name, String value) {
    json.append('"').append(name).append("\":\"").append(value.replace("\"", "'")).append("\",");
  }

  private static void number(StringBuilder json, String name, double value) {
    json.append('"').append(name).append("\":");
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      json.append("null");
    } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      json.append((long) value);
    } else {
      json.append(String.format(Locale.ROOT, "%.3f", value));
    }
    json.append(',');
  }

  public static String tableHeader() {
    return String.format(
        Locale.ROOT,
        "%-10s %-26s %9s %7s %5s %5s %8s %8s %8s %9s %9s %7s %6s %9s %9s%n%s",
        "system",
        "scenario",
        "msg/s",
        "lost",
        "dup",
        "bnc",
        "p50 ms",
        "p99 ms",
        "p99.9 ms",
        "1st µs",
        "2nd µs",
        "sum µs",
        "tool",
        "RSS 1/2",
        "GC 1/2",
        "-".repeat(151));
  }

  public String tableRow() {
    return String.format(
        Locale.ROOT,
        "%-10s %-26s %9.0f %7d %5d %5d %8.2f %8.2f %8.2f %9.1f %9.1f %7.1f %6.1f %4d/%-4d %4d/%-4d",
        system().label,
        scenario.name(),
        deliveredPerSecond(),
        lost(),
        duplicated,
        bounced,
        p50Ms,
        p99Ms,
        p999Ms,
        first.cpuPerMessage(delivered),
        second.cpuPerMessage(delivered),
        cpuSum(),
        tool.cpuPerMessage(delivered),
        first.rssKib() / 1024,
        second.rssKib() / 1024,
        first.gc().count(),
        second.gc().count());
  }
}
