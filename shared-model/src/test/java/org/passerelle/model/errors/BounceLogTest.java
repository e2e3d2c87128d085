package org.passerelle.model.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BounceLogTest {
  private Instant now = Instant.parse("2025-01-01T00:00:00Z");
  private final List<String> summaries = new ArrayList<>();
  private final BounceLog log = new BounceLog(() -> now, summaries::add);

  @Test
  void everyBounceHasItsLineWhileTheyAreFew() {
    for (int second = 0; second < 3; second++) {
      for (int i = 0; i < BounceLog.LINES_PER_SECOND; i++) {
        assertThat(log.lineFor(StanzaCondition.SERVICE_UNAVAILABLE)).isTrue();
      }
      advance(Duration.ofSeconds(1));
    }

    assertThat(log.lineFor(StanzaCondition.SERVICE_UNAVAILABLE)).isTrue();
    assertThat(summaries).isEmpty();
  }

  @Test
  void aFloodIsCountedByConditionAndSummedUpInOneLine() {
    for (int i = 0; i < BounceLog.LINES_PER_SECOND; i++) {
      log.lineFor(StanzaCondition.RESOURCE_CONSTRAINT);
    }
    int lines = 0;
    for (int i = 0; i < 5_000; i++) {
      lines += log.lineFor(StanzaCondition.RESOURCE_CONSTRAINT) ? 1 : 0;
    }
    lines += log.lineFor(StanzaCondition.SERVICE_UNAVAILABLE) ? 1 : 0;
    advance(Duration.ofMillis(999));
    lines += log.lineFor(StanzaCondition.RESOURCE_CONSTRAINT) ? 1 : 0;

    assertThat(lines).isZero();
    assertThat(summaries).isEmpty();

    advance(Duration.ofMillis(1));
    assertThat(log.lineFor(StanzaCondition.RESOURCE_CONSTRAINT))
        .as("the next second's first bounce")
        .isTrue();
    assertThat(summaries)
        .containsExactly(
            "bounced 5002 more stanza(s) in the second from 2025-01-01T00:00:00Z without a line"
                + " each, past 20 a second: resource-constraint 5001, service-unavailable 1");
  }

  @Test
  void aSecondIsSummedUpOnceAndTheCountsStartAgain() {
    for (int i = 0; i < BounceLog.LINES_PER_SECOND + 3; i++) {
      log.lineFor(StanzaCondition.RESOURCE_CONSTRAINT);
    }
    advance(Duration.ofSeconds(5));
    log.lineFor(StanzaCondition.RESOURCE_CONSTRAINT);
    for (int i = 0; i < BounceLog.LINES_PER_SECOND; i++) {
      log.lineFor(StanzaCondition.RESOURCE_CONSTRAINT);
    }
    advance(Duration.ofSeconds(1));
    log.lineFor(StanzaCondition.RESOURCE_CONSTRAINT);

    assertThat(summaries).hasSize(2);
    assertThat(summaries.get(0)).startsWith("bounced 3 more ").endsWith("resource-constraint 3");
    assertThat(summaries.get(1))
        .startsWith("bounced 1 more stanza(s) in the second from 2025-01-01T00:00:05Z")
        .endsWith("resource-constraint 1");
  }

  private void advance(Duration duration) {
    now = now.plus(duration);
  }
}
