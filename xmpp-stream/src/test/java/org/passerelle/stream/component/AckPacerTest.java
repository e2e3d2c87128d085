package org.passerelle.stream.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AckPacerTest {

  /** A scheduler the test runs by hand. */
  private static final class ManualScheduler implements AckPacer.Scheduler {
    final List<Runnable> due = new ArrayList<>();
    final List<Long> delays = new ArrayList<>();
    int cancelled;

    @Override
    public Runnable schedule(Runnable task, long delayMillis) {
      due.add(task);
      delays.add(delayMillis);
      return () -> {
        if (due.remove(task)) {
          cancelled++;
        }
      };
    }

    void fire() {
      List<Runnable> now = List.copyOf(due);
      due.clear();
      now.forEach(Runnable::run);
    }
  }

  private final ManualScheduler scheduler = new ManualScheduler();
  private int acks;
  private final AckPacer pacer = new AckPacer(scheduler, () -> acks++);

  @Test
  void aFewStanzasAreAcknowledgedAfterTheDelayNotAfterEachRead() {
    for (int read = 0; read < 5; read++) {
      pacer.handled();
      pacer.readComplete();
    }
    assertThat(acks).as("nothing written per read").isZero();
    assertThat(scheduler.due).as("one timer for all five").hasSize(1);
    assertThat(scheduler.delays).containsExactly(AckPacer.DELAY_MILLIS);

    scheduler.fire();

    assertThat(acks).isEqualTo(1);
    assertThat(pacer.waiting()).isZero();
  }

  @Test
  void aFullBatchIsAcknowledgedAtOnce() {
    pacer.handled();
    pacer.readComplete();
    for (int i = 1; i < AckPacer.BATCH; i++) {
      pacer.handled();
    }
    pacer.readComplete();

    assertThat(acks).isEqualTo(1);
    assertThat(scheduler.due).as("the timer is cancelled").isEmpty();
    assertThat(scheduler.cancelled).isEqualTo(1);
  }

  @Test
  void anAcknowledgementTheCallerSentCancelsThePendingOne() {
    pacer.handled();
    pacer.readComplete();
    pacer.acknowledged(); // e.g. the answer to an <r/>

    scheduler.fire();

    assertThat(acks).isZero();
    assertThat(pacer.waiting()).isZero();
  }

  @Test
  void aReadWithNothingHandledSchedulesNothing() {
    pacer.readComplete();

    assertThat(scheduler.due).isEmpty();
    assertThat(acks).isZero();
  }

  @Test
  void stanzasAfterAnAcknowledgementGetANewTimer() {
    pacer.handled();
    pacer.readComplete();
    scheduler.fire();
    pacer.handled();
    pacer.readComplete();
    scheduler.fire();

    assertThat(acks).isEqualTo(2);
    assertThat(scheduler.delays).hasSize(2);
  }
}
