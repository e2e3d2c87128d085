package org.passerelle.gateway.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RestorePacerTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private int startAll(RestorePacer pacer) {
    int started = 0;
    while (pacer.tryStart()) {
      started++;
    }
    return started;
  }

  @Test
  void startsNoMoreThanTheRateAllowsOverTime() {
    RestorePacer pacer = new RestorePacer(1_000, 100_000, now::get);
    int started = startAll(pacer);
    for (int ms = 0; ms < 1_000; ms += 10) {
      now.addAndGet(10_000_000L);
      started += startAll(pacer);
    }
    // One second at 1,000/s, plus the burst it starts with (a fiftieth of a second's worth).
    assertThat(started).isEqualTo(1_020);
  }

  @Test
  void anIdleSpellSavesAtMostAFiftiethOfASecondsWorth() {
    RestorePacer pacer = new RestorePacer(1_000, 100_000, now::get);
    startAll(pacer);
    now.addAndGet(60_000_000_000L);
    assertThat(startAll(pacer)).isEqualTo(20);
  }

  @Test
  void noMoreThanMaxInFlightWaitForAnAnswer() {
    RestorePacer pacer = new RestorePacer(1_000_000, 3, now::get);
    now.addAndGet(1_000_000_000L);
    assertThat(startAll(pacer)).isEqualTo(3);
    assertThat(pacer.isFull()).isTrue();

    pacer.finished();

    assertThat(pacer.isFull()).isFalse();
    assertThat(startAll(pacer)).isEqualTo(1);
    assertThat(pacer.inFlight()).isEqualTo(3);
  }

  @Test
  void theRestoresPacerKeepsAtMostTwoHundredUnansweredWhateverTheRate() {
    RestorePacer pacer = RestorePacer.forRate(100_000, now::get);
    now.addAndGet(1_000_000_000L);
    assertThat(startAll(pacer)).isEqualTo(RestorePacer.MAX_UNANSWERED).isEqualTo(200);
  }

  @Test
  void belowTwoHundredASecondTheRestoresPacerKeepsOneSecondsWorthUnanswered() {
    RestorePacer pacer = RestorePacer.forRate(50, now::get);
    int started = 0;
    for (int ms = 0; ms < 10_000; ms += 20) {
      now.addAndGet(20_000_000L);
      started += startAll(pacer);
    }
    assertThat(started).isEqualTo(50);
  }

  @Test
  void saysHowLongUntilTheNextToken() {
    RestorePacer pacer = new RestorePacer(100, 1_000, now::get);
    startAll(pacer);
    assertThat(pacer.nanosUntilToken()).isEqualTo(10_000_000L);
    now.addAndGet(4_000_000L);
    assertThat(pacer.nanosUntilToken()).isEqualTo(6_000_000L);
    now.addAndGet(6_000_000L);
    assertThat(pacer.nanosUntilToken()).isZero();
  }

  @Test
  void moreFinishedThanStartedIsAnError() {
    RestorePacer pacer = new RestorePacer(10, 10, now::get);
    assertThatThrownBy(pacer::finished).isInstanceOf(IllegalStateException.class);
  }
}
