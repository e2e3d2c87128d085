package org.passerelle.gateway.timers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DeadlinesTest {
  private final AtomicLong now = new AtomicLong(10_000);
  private final Deadlines<String> deadlines = new Deadlines<>(now::get, Duration.ofSeconds(1));

  private List<String> due() {
    List<String> due = new ArrayList<>();
    deadlines.forEachDue(due::add);
    return due;
  }

  @Test
  void anItemIsNeverHandedOverBeforeItsDeadline() {
    long at = deadlines.add("a", Duration.ofMillis(2_500));

    assertThat(at).isEqualTo(12_500);
    now.set(12_499);
    assertThat(due()).isEmpty();
    now.set(12_999);
    assertThat(due()).isEmpty();
  }

  @Test
  void anItemIsHandedOverOnceTheTickOfItsDeadlineHasPassed() {
    deadlines.add("a", Duration.ofMillis(2_500));

    now.set(13_000);
    assertThat(due()).containsExactly("a");
    assertThat(due()).isEmpty();
    assertThat(deadlines.size()).isZero();
  }

  @Test
  void itemsComeInTickOrderAndLaterOnesStay() {
    deadlines.add("later", Duration.ofSeconds(5));
    deadlines.add("first", Duration.ofSeconds(1));
    deadlines.add("second", Duration.ofSeconds(2));

    now.addAndGet(3_000);

    assertThat(due()).containsExactly("first", "second");
    assertThat(deadlines.size()).isEqualTo(1);
    now.addAndGet(2_000);
    assertThat(due()).containsExactly("later");
  }

  @Test
  void anItemArmedTwiceIsHandedOverTwiceForItsOwnerToTellTheStaleOne() {
    deadlines.add("a", Duration.ofSeconds(1));
    deadlines.add("a", Duration.ofSeconds(3));

    now.addAndGet(1_000);
    assertThat(due()).containsExactly("a");
    now.addAndGet(2_000);
    assertThat(due()).containsExactly("a");
  }

  @Test
  void aFailingActionDoesNotStopTheOthers() {
    deadlines.add("boom", Duration.ZERO);
    deadlines.add("fine", Duration.ZERO);
    List<String> seen = new ArrayList<>();

    deadlines.forEachDue(
        item -> {
          if (item.equals("boom")) {
            throw new IllegalStateException("boom");
          }
          seen.add(item);
        });

    assertThat(seen).containsExactly("fine");
  }
}
