package org.passerelle.model.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.passerelle.model.config.ConfigException;
import org.passerelle.model.config.ConfigReader;

/** The shutdown settings both processes read, and the phases their parts go through. */
class LifecycleTest {

  @Test
  void phasesOnlyGoForwardAndAskingTwiceChangesNothing() {
    Lifecycle lifecycle = new Lifecycle();

    assertThat(lifecycle.advance(Phase.DRAINING)).isTrue();
    assertThat(lifecycle.advance(Phase.DRAINING)).isFalse();
    assertThat(lifecycle.advance(Phase.RUNNING)).isFalse();
    assertThat(lifecycle.phase()).isEqualTo(Phase.DRAINING);
    assertThat(lifecycle.advance(Phase.STOPPED)).isTrue();
    assertThat(lifecycle.advance(Phase.DRAINING)).isFalse();
    assertThat(lifecycle.phase()).isEqualTo(Phase.STOPPED);
  }

  @Test
  void aPartMayStopWithoutDraining() {
    Lifecycle lifecycle = new Lifecycle();

    assertThat(lifecycle.advance(Phase.STOPPED)).isTrue();
    assertThat(lifecycle.isRunning()).isFalse();
  }

  @Test
  void theDrainDefaultsToTenSecondsAndIsReadFromItsSection() {
    assertThat(read("").drain()).isEqualTo(Duration.ofSeconds(10));
    assertThat(read("shutdown: {drain: 2m}").drain()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void aDrainOverFiveMinutesIsRefusedWithTheKey() {
    assertThatThrownBy(() -> read("shutdown: {drain: 301s}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("shutdown.drain must be at most 5m, was 301s");
  }

  @Test
  void aZeroDrainIsRefused() {
    assertThatThrownBy(() -> read("shutdown: {drain: 0s}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("shutdown.drain must be longer than zero");
    assertThatThrownBy(() -> new ShutdownSettings(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void drainReturnsOnceTheWorkIsDoneOnTwoPollsInARow() {
    AtomicInteger polls = new AtomicInteger();

    boolean done = Drain.await(() -> polls.incrementAndGet() >= 3, Duration.ofSeconds(5));

    assertThat(done).isTrue();
    assertThat(polls.get()).isEqualTo(4);
  }

  @Test
  void drainGivesUpWhenTheLimitPasses() {
    long began = System.nanoTime();

    boolean done = Drain.await(() -> false, Duration.ofMillis(200));

    assertThat(done).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - began))
        .isBetween(Duration.ofMillis(190), Duration.ofSeconds(2));
  }

  private static ShutdownSettings read(String yaml) {
    ConfigReader root = ConfigReader.parse(yaml, Path.of("."), "test");
    ShutdownSettings settings = ShutdownSettings.read(root.section("shutdown"));
    root.finish();
    return settings;
  }
}
