package org.passerelle.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SideBySideRatiosTest {
  private static final Scenario PASSERELLE_CLOSED =
      Scenario.closed(Scenario.Direction.XMPP_TO_SIP, 1000, 0, 10);
  private static final Scenario PROSODY_CLOSED =
      Scenario.closed(Scenario.Direction.XMPP_TO_XMPP, 1000, 0, 10);
  private static final Scenario PASSERELLE_OPEN =
      Scenario.open(Scenario.Direction.XMPP_TO_SIP, 4000, 0, 10);
  private static final Scenario PROSODY_OPEN =
      Scenario.open(Scenario.Direction.XMPP_TO_XMPP, 4000, 0, 10);

  /** 10,000 delivered in one second, {@code cpuMicros} per process in all, {@code p99} ms. */
  private static RunReport report(Scenario scenario, long cpuMicros, double p99) {
    ProcessFigures half =
        new ProcessFigures(cpuMicros / 2, 1024, new GcLog.Pauses(0, 0, 0, -1, -1), -1);
    return new RunReport(
        Instant.EPOCH,
        scenario,
        10_000,
        10_000,
        0,
        0,
        0,
        1_000_000_000L,
        1,
        p99,
        p99,
        p99,
        half,
        half,
        half,
        1.0);
  }

  @Test
  void aRatioIsTheMedianOfTheRatiosOfAdjacentPairsAtOneLoad() {
    List<RunReport> reports =
        List.of(
            report(PASSERELLE_CLOSED, 2_000_000, 10),
            report(PROSODY_CLOSED, 1_000_000, 5),
            report(PASSERELLE_CLOSED, 9_000_000, 10),
            report(PROSODY_CLOSED, 3_000_000, 20),
            report(PASSERELLE_CLOSED, 4_000_000, 10),
            report(PROSODY_CLOSED, 1_000_000, 10),
            report(PASSERELLE_OPEN, 1_000_000, 4),
            report(PROSODY_OPEN, 2_000_000, 2));

    List<SideBySideRatios> ratios = SideBySideRatios.of(reports);

    assertThat(ratios).hasSize(2);
    SideBySideRatios closed = ratios.get(0);
    assertThat(closed.mode()).isEqualTo(Scenario.Mode.CLOSED);
    assertThat(closed.pairs()).isEqualTo(3);
    // Pair ratios 2, 3 and 4: the median is 3, not the ratio of the medians (400 ÷ 100).
    assertThat(closed.cpu()).isCloseTo(3.0, within(1e-9));
    assertThat(closed.p99()).isCloseTo(1.0, within(1e-9));
    assertThat(closed.throughput()).isCloseTo(1.0, within(1e-9));
    assertThat(closed.passerelle().cpuSum()).isCloseTo(400, within(1e-9));
    assertThat(closed.prosody().cpuSum()).isCloseTo(100, within(1e-9));
    SideBySideRatios open = ratios.get(1);
    assertThat(open.load()).isEqualTo(4000);
    assertThat(open.cpu()).isCloseTo(0.5, within(1e-9));
    assertThat(open.toJson())
        .startsWith("{\"ratios\":true,\"mode\":\"open\",\"target_rate\":4000,\"pairs\":1,")
        .contains("\"cpu_us_per_msg_ratio\":0.500");
  }

  @Test
  void runsWithoutAPartnerAtTheSameLoadGiveNoRatio() {
    List<RunReport> reports =
        List.of(
            report(PROSODY_CLOSED, 1_000_000, 5),
            report(PASSERELLE_CLOSED, 2_000_000, 10),
            report(PROSODY_OPEN, 1_000_000, 5),
            report(PASSERELLE_OPEN, 1_000_000, 4));

    assertThat(SideBySideRatios.of(reports)).isEmpty();
  }
}
