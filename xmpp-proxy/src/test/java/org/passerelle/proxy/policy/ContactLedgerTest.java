package org.passerelle.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The ledger is bounded and forgets: the two properties that keep it safe to run for months. */
class ContactLedgerTest {
  private final MutableClock clock = new MutableClock();

  @Test
  void theOldestPairGoesFirstWhenFull() {
    ContactLedger ledger = new ContactLedger(new ContactLimits(2, Duration.ofDays(1)), clock);

    ledger.record("a@l", "x@r");
    ledger.record("b@l", "x@r");
    ledger.record("a@l", "x@r"); // renewed: now the youngest
    ledger.record("c@l", "x@r");

    assertThat(ledger.size()).isEqualTo(2);
    assertThat(ledger.knows("b@l", "x@r")).isFalse();
    assertThat(ledger.knows("a@l", "x@r")).isTrue();
    assertThat(ledger.knows("c@l", "x@r")).isTrue();
  }

  @Test
  void aPairExpiresUnlessRenewed() {
    ContactLedger ledger = new ContactLedger(new ContactLimits(10, Duration.ofHours(1)), clock);
    ledger.record("a@l", "x@r");
    ledger.record("b@l", "x@r");

    clock.advance(Duration.ofMinutes(40));
    ledger.record("b@l", "x@r");
    clock.advance(Duration.ofMinutes(30));

    assertThat(ledger.knows("a@l", "x@r")).isFalse();
    assertThat(ledger.knows("b@l", "x@r")).isTrue();
  }

  @Test
  void smallerLimitsApplyAtOnce() {
    ContactLedger ledger = new ContactLedger(new ContactLimits(10, Duration.ofHours(1)), clock);
    for (int i = 0; i < 10; i++) {
      ledger.record("u" + i + "@l", "x@r");
    }

    ledger.limits(new ContactLimits(3, Duration.ofHours(1)));

    assertThat(ledger.size()).isEqualTo(3);
    assertThat(ledger.knows("u9@l", "x@r")).isTrue();
  }
}
