package org.passerelle.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load tool, run for a few seconds at a low rate against the real proxy and gateway processes
 * built in this reactor: every message arrives exactly once, both ways, and the report is whole. No
 * timing is asserted; figures from a shared build machine mean nothing.
 */
class LoadSmokeIT {
  @TempDir Path out;

  @Test
  void everyMessageArrivesOnceBothWaysAndTheReportIsWhole() throws Exception {
    Path repo = Path.of("").toAbsolutePath().resolve("../..").normalize();

    List<RunReport> reports = LoadMain.run("smoke", repo, out, 2, LoadBench.DEFAULT_JVM);

    assertThat(reports).hasSize(2);
    for (RunReport report : reports) {
      assertThat(report.sent()).as(report.scenario().name()).isPositive();
      assertThat(report.delivered()).as(report.scenario().name()).isEqualTo(report.sent());
      assertThat(report.lost()).isZero();
      assertThat(report.duplicated()).isZero();
      assertThat(report.bounced()).isZero();
      assertThat(report.first().cpuMicros()).isPositive();
      assertThat(report.second().cpuMicros()).isPositive();
    }
    Path json;
    try (Stream<Path> files = Files.list(out)) {
      json = files.filter(p -> p.toString().endsWith(".jsonl")).findFirst().orElseThrow();
    }
    List<String> lines = Files.readAllLines(json);
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).startsWith("{\"startup\":true").endsWith("}");
    for (String line : lines.subList(1, 3)) {
      assertThat(line)
          .startsWith("{")
          .endsWith("}")
          .contains(
              "\"delivered_per_s\":",
              "\"lost\":0",
              "\"duplicated\":0",
              "\"latency_p99_ms\":",
              "\"latency_p999_ms\":",
              "\"proxy_cpu_us_per_msg\":",
              "\"gateway_cpu_us_per_msg\":",
              "\"proxy_rss_mib\":",
              "\"gateway_gc_pauses\":")
          .containsOnlyOnce("\"system\":")
          .doesNotContain(",,", ",}");
    }
  }

  @Test
  void theBareRelaysCarryEveryMessageOnceAndTheRowSaysRelay() throws Exception {
    Path repo = Path.of("").toAbsolutePath().resolve("../..").normalize();

    List<RunReport> reports = LoadMain.run("relay-smoke", repo, out, 2, LoadBench.DEFAULT_JVM);

    assertThat(reports).hasSize(1);
    RunReport report = reports.get(0);
    assertThat(report.sent()).isPositive();
    assertThat(report.delivered()).isEqualTo(report.sent());
    assertThat(report.duplicated()).isZero();
    assertThat(report.first().cpuMicros()).as("relay 1").isPositive();
    assertThat(report.second().cpuMicros()).as("relay 2").isPositive();
    assertThat(report.toJson())
        .contains("\"system\":\"relay\"", "\"relay1_cpu_us_per_msg\":", "\"relay2_gc_pauses\":")
        .contains("\"lost\":0")
        .doesNotContain("proxy_", "gateway_", ",,", ",}");
  }
}
