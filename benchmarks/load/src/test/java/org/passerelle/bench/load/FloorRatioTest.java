package org.passerelle.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ratio of Passerelle's XMPP→SIP to the bare relays', from medians over interleaved runs. */
class FloorRatioTest {
  private static final GcLog.Pauses NO_GC = new GcLog.Pauses(0, 0, 0, -1, -1);

  /** A run that delivered 1,000 messages in one second, its two processes spending these µs. */
  private static RunReport run(Scenario scenario, long hop1Micros, long hop2Micros, double load) {
    return new RunReport(
        Instant.EPOCH,
        scenario,
        1000,
        1000,
        0,
        0,
        0,
        1_000_000_000L,
        1,
        2,
        3,
        4,
        new ProcessFigures(hop1Micros, 1024, NO_GC, -1),
        new ProcessFigures(hop2Micros, 1024, NO_GC, -1),
        new ProcessFigures(1, 1024, NO_GC, -1),
        load);
  }

  private static RunReport slow(Scenario scenario, long delivered) {
    return new RunReport(
        Instant.EPOCH,
        scenario,
        delivered,
        delivered,
        0,
        0,
        0,
        1_000_000_000L,
        1,
        2,
        3,
        4,
        new ProcessFigures(delivered * 10, 1024, NO_GC, -1),
        new ProcessFigures(delivered * 10, 1024, NO_GC, -1),
        new ProcessFigures(1, 1024, NO_GC, -1),
        1);
  }

  @Test
  void theCpuRatioIsTheMedianOfPasserelleOverTheMedianOfTheRelays() {
    Scenario ours = Scenario.open(Scenario.Direction.XMPP_TO_SIP, 4000, 0, 1);
    Scenario floor = Scenario.relayOpen(4000, 0, 1);
    List<RunReport> runs =
        List.of(
            run(ours, 40_000, 60_000, 2), // 100 µs/msg
            run(floor, 20_000, 20_000, 3), // 40
            run(ours, 50_000, 70_000, 4), // 120: the median
            run(floor, 25_000, 25_000, 5), // 50: the median
            run(ours, 100_000, 300_000, 6), // 400: a disturbed run
            run(floor, 30_000, 30_000, 7)); // 60

    List<FloorRatio> ratios = FloorRatio.of(runs);

    assertThat(ratios).hasSize(1);
    FloorRatio ratio = ratios.get(0);
    assertThat(ratio.passerelleRuns()).isEqualTo(3);
    assertThat(ratio.relayRuns()).isEqualTo(3);
    assertThat(ratio.cpuPasserelle()).isEqualTo(120.0);
    assertThat(ratio.cpuRelay()).isEqualTo(50.0);
    assertThat(ratio.cpuRatio()).isEqualTo(2.4);
    assertThat(ratio.loadAverage()).isEqualTo(4.5);
    assertThat(ratio.toJson())
        .startsWith("{\"floor_ratio\":true")
        .contains("\"mode\":\"open\"", "\"target_rate\":4000", "\"cpu_ratio\":2.400")
        .doesNotContain("NaN");
  }

  @Test
  void theThroughputRatioAtSaturationIsPasserellesShareOfTheRelays() {
    Scenario ours = Scenario.closed(Scenario.Direction.XMPP_TO_SIP, 1000, 0, 1);
    Scenario floor = Scenario.relayClosed(1000, 0, 1);

    FloorRatio ratio = FloorRatio.of(List.of(slow(ours, 2_000), slow(floor, 40_000))).get(0);

    assertThat(ratio.mode()).isEqualTo(Scenario.Mode.CLOSED);
    assertThat(ratio.throughputRatio()).isEqualTo(0.05);
    assertThat(ratio.toJson()).contains("\"window\":1000", "\"throughput_ratio\":0.050");
  }

  @Test
  void loadsOnlyOneSystemRanGiveNoRatio() {
    List<RunReport> runs =
        List.of(
            run(Scenario.open(Scenario.Direction.XMPP_TO_SIP, 4000, 0, 1), 1, 1, 1),
            run(Scenario.open(Scenario.Direction.SIP_TO_XMPP, 1000, 0, 1), 1, 1, 1),
            run(Scenario.relayOpen(1000, 0, 1), 1, 1, 1));

    assertThat(FloorRatio.of(runs)).isEmpty();
  }
}
