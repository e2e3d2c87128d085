package org.passerelle.gateway.threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BoundedThreadTest {

  @Test
  void runsTasksInOrderOnOneDaemonThreadOfItsName() throws Exception {
    ThreadPoolExecutor thread = BoundedThread.named("worker-x", 10);
    List<String> ran = new CopyOnWriteArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        int n = i;
        thread.execute(
            () ->
                ran.add(
                    n
                        + " "
                        + Thread.currentThread().getName()
                        + " "
                        + Thread.currentThread().isDaemon()));
      }
    } finally {
      thread.shutdown();
    }

    assertThat(thread.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(ran)
        .containsExactly(
            "0 worker-x true",
            "1 worker-x true",
            "2 worker-x true",
            "3 worker-x true",
            "4 worker-x true");
  }

  @Test
  void refusesATaskOnceTheLimitWaits() throws Exception {
    ThreadPoolExecutor thread = BoundedThread.named("worker-y", 2);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch busy = new CountDownLatch(1);
    try {
      thread.execute(
          () -> {
            busy.countDown();
            awaitQuietly(release);
          });
      assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
      thread.execute(() -> {});
      thread.execute(() -> {});

      assertThatThrownBy(() -> thread.execute(() -> {}))
          .isInstanceOf(RejectedExecutionException.class);
    } finally {
      release.countDown();
      thread.shutdown();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
