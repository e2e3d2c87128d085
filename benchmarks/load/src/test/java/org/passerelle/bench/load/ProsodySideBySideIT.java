package org.passerelle.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prosody reference of the side-by-side suite, for a second at a low rate: two real Prosody
 * servers federate, the c2s load clients log in, and every message sent on A arrives once on B.
 * Needs the {@code prosody} package (CI installs it); without it the start fails and says so. No
 * timing is asserted.
 */
class ProsodySideBySideIT {
  @TempDir Path dir;

  @Test
  void everyMessageFromAUsersOfProsodyAArrivesOnceAtProsodyB() throws Exception {
    try (ProsodyBench bench = ProsodyBench.start(dir)) {
      RunReport report = bench.run(Scenario.open(Scenario.Direction.XMPP_TO_XMPP, 200, 0, 1));

      assertThat(report.sent()).isEqualTo(200);
      assertThat(report.delivered()).isEqualTo(200);
      assertThat(report.duplicated()).isZero();
      assertThat(report.bounced()).isZero();
      assertThat(report.first().cpuMicros()).isPositive();
      assertThat(report.second().cpuMicros()).isPositive();
      assertThat(report.toJson())
          .contains("\"system\":\"prosody\"", "\"prosody_a_cpu_us_per_msg\":", "\"lost\":0")
          .doesNotContain("gc_pauses", ",,", ",}");
    }
  }
}
