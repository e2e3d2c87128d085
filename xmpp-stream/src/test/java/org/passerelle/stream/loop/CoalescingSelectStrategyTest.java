package org.passerelle.stream.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.SelectStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoalescingSelectStrategyTest {
  private static final long INTERVAL = 1_000_000;

  private long now = 5_000_000_000L;
  private final List<Long> sleeps = new ArrayList<>();
  private int ready;
  private int selectNows;
  private final LoopPasses passes = new LoopPasses();
  private final CoalescingSelectStrategy strategy = strategy(INTERVAL);

  private CoalescingSelectStrategy strategy(long interval) {
    return new CoalescingSelectStrategy(
        interval,
        passes,
        () -> now,
        nanos -> {
          sleeps.add(nanos);
          now += nanos;
        });
  }

  private int next(boolean hasTasks) throws Exception {
    return next(strategy, hasTasks);
  }

  private int next(CoalescingSelectStrategy strategy, boolean hasTasks) throws Exception {
    return strategy.calculateStrategy(
        () -> {
          selectNows++;
          return ready;
        },
        hasTasks);
  }

  @Test
  void theFirstLookSelectsAtOnce() throws Exception {
    assertThat(next(false)).isEqualTo(SelectStrategy.SELECT);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void aLoopThatHasNotLookedForTheIntervalSelectsAtOnce() throws Exception {
    next(false);
    now += INTERVAL;

    assertThat(next(false)).isEqualTo(SelectStrategy.SELECT);
    assertThat(sleeps).isEmpty();
    assertThat(selectNows).isZero();
  }

  @Test
  void aLoopThatLookedRecentlyAndFindsNothingSleepsOutTheRestOfTheInterval() throws Exception {
    next(false);
    now += 300_000;

    assertThat(next(false)).isEqualTo(SelectStrategy.SELECT);
    assertThat(sleeps).containsExactly(700_000L);
    assertThat(selectNows).isEqualTo(1);
  }

  @Test
  void theIntervalCountsFromTheLastLookSoWakeUpsAreAtMostOnePerInterval() throws Exception {
    next(false);
    now += 100_000;
    next(false); // slept 900 µs: this look is at +1 ms
    now += 400_000;
    next(false);

    assertThat(sleeps).containsExactly(900_000L, 600_000L);
  }

  @Test
  void aLoopThatFindsInputReadyGoesOnWithoutSleeping() throws Exception {
    next(false);
    now += 50_000;
    ready = 3;

    assertThat(next(false)).isEqualTo(3);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void aLoopWithTasksQueuedGoesOnWithoutSleeping() throws Exception {
    next(false);
    now += 50_000;
    ready = 0;

    assertThat(next(true)).isZero();
    assertThat(sleeps).isEmpty();
    assertThat(selectNows).isEqualTo(1);
  }

  @Test
  void aBusyLoopStillSleepsOnceItFindsNothing() throws Exception {
    next(false);
    ready = 2;
    now += 10_000;
    next(false);
    now += 10_000;
    ready = 0;
    next(false);

    assertThat(sleeps).containsExactly(INTERVAL - 10_000);
  }

  @Test
  void everyPassAndEverySleepIsCounted() throws Exception {
    next(false);
    now += 100_000;
    next(false);
    ready = 1;
    next(false);

    assertThat(passes.passes()).isEqualTo(3);
    assertThat(passes.coalesced()).isEqualTo(1);
  }

  @Test
  void zeroIsNettysOwnStrategy() throws Exception {
    CoalescingSelectStrategy plain = strategy(0);

    assertThat(next(plain, false)).isEqualTo(SelectStrategy.SELECT);
    now += 10;
    assertThat(next(plain, false)).isEqualTo(SelectStrategy.SELECT);
    ready = 2;
    assertThat(next(plain, true)).isEqualTo(2);

    assertThat(sleeps).isEmpty();
    assertThat(selectNows).isEqualTo(1);
    assertThat(passes.passes()).isEqualTo(3);
  }

  @Test
  void aNegativeIntervalIsRefused() {
    assertThatThrownBy(() -> EventLoops.nio(1, "x", Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CoalescingSelectStrategy.factory(-1, passes))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
