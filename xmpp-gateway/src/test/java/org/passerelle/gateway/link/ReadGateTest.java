package org.passerelle.gateway.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReadGateTest {

  /** Records what the gate told it. */
  private static final class Recorder implements ReadGate.Reader {
    final List<Boolean> told = new ArrayList<>();

    @Override
    public synchronized void reading(boolean reading) {
      told.add(reading);
    }

    synchronized List<Boolean> told() {
      return List.copyOf(told);
    }
  }

  @Test
  void aReaderIsToldTheCurrentStateWhenAdded() {
    ReadGate gate = new ReadGate(2);
    Recorder before = new Recorder();
    gate.add(before);
    gate.enter();
    gate.enter();
    Recorder after = new Recorder();
    gate.add(after);

    assertThat(before.told()).containsExactly(true, false);
    assertThat(after.told()).containsExactly(false);
  }

  @Test
  void linksPauseAtTheLimitAndReadAgainAtHalf() {
    ReadGate gate = new ReadGate(4);
    Recorder link = new Recorder();
    gate.add(link);

    for (int i = 0; i < 3; i++) {
      gate.enter();
    }
    assertThat(gate.isOpen()).isTrue();
    gate.enter();
    assertThat(gate.isOpen()).isFalse();
    gate.enter(); // soft bound: what was already read still comes in
    assertThat(gate.waiting()).isEqualTo(5);

    gate.exit();
    gate.exit();
    assertThat(gate.isOpen()).as("3 wait, more than half of 4").isFalse();
    gate.exit();
    assertThat(gate.isOpen()).as("2 wait, half of 4").isTrue();

    assertThat(link.told()).containsExactly(true, false, true);
    assertThat(gate.pauses()).isEqualTo(1);
  }

  @Test
  void everyLinkFollowsTheGate() {
    ReadGate gate = new ReadGate(2);
    Recorder a = new Recorder();
    Recorder b = new Recorder();
    gate.add(a);
    gate.add(b);
    gate.enter();
    gate.enter();
    gate.exit();

    assertThat(a.told()).containsExactly(true, false, true);
    assertThat(b.told()).containsExactly(true, false, true);
  }

  @Test
  void concurrentTrafficEndsOpenWithNothingWaiting() throws Exception {
    ReadGate gate = new ReadGate(8);
    Recorder link = new Recorder();
    gate.add(link);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    CountDownLatch done = new CountDownLatch(4);
    for (int t = 0; t < 4; t++) {
      threads.execute(
          () -> {
            for (int i = 0; i < 20_000; i++) {
              gate.enter();
              gate.exit();
            }
            done.countDown();
          });
    }
    assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
    threads.shutdown();

    assertThat(gate.waiting()).isZero();
    assertThat(gate.isOpen()).isTrue();
    List<Boolean> told = link.told();
    assertThat(told.get(told.size() - 1)).as("last told to read").isTrue();
    for (int i = 1; i < told.size(); i++) {
      assertThat(told.get(i)).as("pauses and resumes alternate").isNotEqualTo(told.get(i - 1));
    }
  }

  @Test
  void aLimitBelowOneIsRefused() {
    assertThatThrownBy(() -> new ReadGate(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
