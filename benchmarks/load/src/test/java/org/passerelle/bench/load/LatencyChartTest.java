package org.passerelle.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Latency against offered load, read from a results file and drawn as SVG. */
class LatencyChartTest {
  /** A results file as LoadMain writes it: a startup line, open and closed rows, another system. */
  private static final List<String> RESULTS =
      List.of(
          "{\"startup\":true,\"system\":\"passerelle\",\"proxy_start_to_ready_ms\":900}",
          row("passerelle", "xmpp-sip", "open", 1000, 1000, 0, 2.0, 9.0, 12.0, 1.5),
          row("passerelle", "xmpp-sip", "open", 4000, 3990, 0, 3.0, 40.0, 80.0, 2.5),
          row("passerelle", "xmpp-sip", "open", 16000, 2500, 84000, 9000.0, 15000.0, 15500.0, 3.0),
          row("passerelle", "xmpp-sip", "closed", 1000, 2600, 0, 300.0, 900.0, 950.0, 2.0),
          row("relay", "xmpp-sip", "open", 4000, 4000, 0, 0.5, 1.0, 2.0, 2.0),
          row("passerelle", "sip-xmpp", "open", 4000, 4000, 0, 1.0, 2.0, 3.0, 2.0),
          // Before the system field existed: Passerelle's; the same rate again, so medians.
          "{\"scenario\":\"xmpp-sip-open-4000\",\"direction\":\"xmpp-sip\",\"mode\":\"open\","
              + "\"target_rate\":4000,\"lost\":0,\"delivered_per_s\":3970,\"latency_p50_ms\":5.0,"
              + "\"latency_p99_ms\":60.0,\"latency_p999_ms\":100.0,\"load_average_1m\":3.5}");

  @TempDir Path dir;

  private static String row(
      String system,
      String direction,
      String mode,
      int load,
      double delivered,
      long lost,
      double p50,
      double p99,
      double p999,
      double loadAverage) {
    return String.format(
        java.util.Locale.ROOT,
        "{\"at\":\"2026-11-25T00:00:00Z\",\"scenario\":\"%s-%s-%d\",\"system\":\"%s\","
            + "\"direction\":\"%s\",\"mode\":\"%s\",\"%s\":%d,\"sent\":1,\"lost\":%d,"
            + "\"delivered_per_s\":%.1f,\"latency_p50_ms\":%.3f,\"latency_p99_ms\":%.3f,"
            + "\"latency_p999_ms\":%.3f,\"latency_max_ms\":null,\"load_average_1m\":%.2f}",
        direction,
        mode,
        load,
        system,
        direction,
        mode,
        mode.equals("open") ? "target_rate" : "window",
        load,
        lost,
        delivered,
        p50,
        p99,
        p999,
        loadAverage);
  }

  @Test
  void readsOnlyTheOpenLoopRowsOfOneSystemAndDirectionByOfferedRate() {
    List<LatencyChart.Point> points = LatencyChart.read(RESULTS, "passerelle", "xmpp-sip");

    assertThat(points).extracting(LatencyChart.Point::offered).containsExactly(1000, 4000, 16000);
    assertThat(points.get(2).lost()).isEqualTo(84000);
    assertThat(points.get(0).p99()).isEqualTo(9.0);
  }

  @Test
  void aRateRunTwiceIsDrawnAtTheMedianOfItsRuns() {
    LatencyChart.Point twice = LatencyChart.read(RESULTS, "passerelle", "xmpp-sip").get(1);

    assertThat(twice.p50()).isEqualTo(4.0);
    assertThat(twice.p99()).isEqualTo(50.0);
    assertThat(twice.delivered()).isCloseTo(3980, within(0.01));
  }

  @Test
  void theRelaysRowsAreReadWhenAsked() {
    assertThat(LatencyChart.read(RESULTS, "relay", "xmpp-sip"))
        .extracting(LatencyChart.Point::offered)
        .containsExactly(4000);
  }

  @Test
  void theChartHasAPointPerRateForEachPercentileAndMarksTheLoss() throws Exception {
    Path in = dir.resolve("in.jsonl");
    Path out = dir.resolve("out.svg");
    Files.write(in, RESULTS);

    LatencyChart.main(new String[] {in.toString(), out.toString()});

    String svg = Files.readString(out);
    assertThat(svg).startsWith("<svg xmlns='http://www.w3.org/2000/svg'").endsWith("</svg>\n");
    for (String series : List.of("p50", "p99", "p999")) {
      assertThat(attributes(svg, "circle class='" + series + "' data-rate='(\\d+)'"))
          .as(series)
          .containsExactly("1000", "4000", "16000");
    }
    assertThat(attributes(svg, "rect class='delivered' data-rate='(\\d+)'"))
        .containsExactly("1000", "4000", "16000");
    assertThat(attributes(svg, "g class='loss' data-rate='(\\d+)' data-lost='\\d+'"))
        .containsExactly("16000");
    assertThat(svg).contains("lost 84,000", "load average", "1.5–3.0");
  }

  @Test
  void aSlowerPercentileIsDrawnHigher() {
    String svg = LatencyChart.svg(LatencyChart.read(RESULTS, "passerelle", "xmpp-sip"), "test");

    double p50 =
        Double.parseDouble(
            attributes(svg, "class='p50' data-rate='1000' data-ms='[^']+' cx='[^']+' cy='([^']+)'")
                .get(0));
    double p99 =
        Double.parseDouble(
            attributes(svg, "class='p99' data-rate='1000' data-ms='[^']+' cx='[^']+' cy='([^']+)'")
                .get(0));
    double p99At16k =
        Double.parseDouble(
            attributes(svg, "class='p99' data-rate='16000' data-ms='[^']+' cx='[^']+' cy='([^']+)'")
                .get(0));

    // SVG's y grows downwards.
    assertThat(p99).isLessThan(p50);
    assertThat(p99At16k).isLessThan(p99);
  }

  private static List<String> attributes(String svg, String regex) {
    Matcher matcher = Pattern.compile(regex).matcher(svg);
    List<String> found = new java.util.ArrayList<>();
    while (matcher.find()) {
      found.add(matcher.group(1));
    }
    return found;
  }
}
