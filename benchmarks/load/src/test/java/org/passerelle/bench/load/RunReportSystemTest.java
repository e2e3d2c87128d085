package org.passerelle.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** One {@code system} per row, from the scenario, and the two processes' fields named after it. */
class RunReportSystemTest {
  private static final GcLog.Pauses NO_GC = new GcLog.Pauses(0, 0, 0, -1, -1);

  private static RunReport report(Scenario scenario) {
    ProcessFigures process = new ProcessFigures(1000, 1024, NO_GC, 500);
    return new RunReport(
        Instant.EPOCH,
        scenario,
        100,
        100,
        0,
        0,
        0,
        1_000_000_000L,
        1,
        2,
        3,
        4,
        process,
        process,
        process,
        1);
  }

  @Test
  void theRelaysRowNamesItsProcessesRelay1AndRelay2() {
    String json = report(Scenario.relayOpen(200, 0, 1)).toJson();

    assertThat(json)
        .containsOnlyOnce("\"system\":")
        .contains(
            "\"system\":\"relay\"",
            "\"relay1_cpu_us_per_msg\":10",
            "\"relay2_gc_pauses\":0",
            "\"relay1_start_to_ready_ms\":500",
            "\"cpu_us_per_msg_relay1_plus_relay2\":20",
            "\"cpu_us_per_msg_sum\":20")
        .doesNotContain("proxy_", "gateway_", "prosody_");
  }

  @Test
  void xmppToXmppIsProsodysAndItsRowHasNoJvmFields() {
    Scenario scenario = Scenario.open(Scenario.Direction.XMPP_TO_XMPP, 200, 0, 1);

    assertThat(scenario.system()).isEqualTo(SystemUnderTest.PROSODY);
    assertThat(report(scenario).toJson())
        .containsOnlyOnce("\"system\":")
        .contains("\"system\":\"prosody\"", "\"prosody_a_cpu_us_per_msg\":10")
        .doesNotContain("gc_pauses", "start_to_ready", "proxy_", "relay1_");
  }

  @Test
  void passerelleKeepsTheProxyAndGatewayNames() {
    Scenario scenario = Scenario.closed(Scenario.Direction.SIP_TO_XMPP, 10, 0, 1);

    assertThat(scenario.system()).isEqualTo(SystemUnderTest.PASSERELLE);
    assertThat(report(scenario).toJson())
        .containsOnlyOnce("\"system\":")
        .contains("\"system\":\"passerelle\"", "\"proxy_cpu_us_per_msg\":", "\"gateway_rss_mib\":");
  }

  @Test
  void aScenarioWhoseSystemCannotCarryItsDirectionIsRefused() {
    Duration second = Duration.ofSeconds(1);
    assertThatThrownBy(
            () ->
                new Scenario(
                    "x",
                    SystemUnderTest.PROSODY,
                    Scenario.Direction.XMPP_TO_SIP,
                    Scenario.Mode.OPEN,
                    10,
                    second,
                    second))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new Scenario(
                    "x",
                    SystemUnderTest.PASSERELLE,
                    Scenario.Direction.XMPP_TO_XMPP,
                    Scenario.Mode.OPEN,
                    10,
                    second,
                    second))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new Scenario(
                    "x",
                    SystemUnderTest.RELAY,
                    Scenario.Direction.SIP_TO_XMPP,
                    Scenario.Mode.OPEN,
                    10,
                    second,
                    second))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
