package org.passerelle.proxy.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.dom4j.Element;

/**
 * A well-behaved conversation between a.test and b.test while an attack runs: a message each way
 * every 40 ms. {@link #assertUndisturbed()} lets it run a little longer, stops it, and checks that
 * every message arrived, in order, and none came back as an error.
 */
final class Traffic implements AutoCloseable {
  private static final AtomicInteger RUNS = new AtomicInteger();
  private static final Duration EVERY = Duration.ofMillis(40);

  private final HostileFederation federation;
  private final String prefix = "t" + RUNS.incrementAndGet() + "-";
  private final AtomicInteger sent = new AtomicInteger();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "well-behaved-traffic");
            t.setDaemon(true);
            return t;
          });

  Traffic(HostileFederation federation) {
    this.federation = federation;
    timer.scheduleAtFixedRate(this::sendOne, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void sendOne() {
    int n = sent.getAndIncrement();
    federation.a.sendFromLocal(
        HostileFederation.message("alice@a.test/desk", "bob@b.test", prefix + "a2b-" + n));
    federation.b.sendFromLocal(
        HostileFederation.message("bob@b.test/phone", "alice@a.test", prefix + "b2a-" + n));
  }

  /** Five more messages each way, then: all of them arrived, in order, none bounced. */
  void assertUndisturbed() throws InterruptedException {
    int target = sent.get() + 5;
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (sent.get() < target && System.nanoTime() < deadline) {
      Thread.sleep(EVERY.toMillis());
    }
    timer.shutdown();
    assertThat(timer.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    int total = sent.get();
    assertThat(total).as("messages sent during the attack").isGreaterThanOrEqualTo(5);
    assertArrived(HostileFederation.B, prefix + "a2b-", total);
    assertArrived(HostileFederation.A, prefix + "b2a-", total);
  }

  private void assertArrived(String domain, String ids, int total) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<String> arrived = arrived(domain, ids);
    while (arrived.size() < total && System.nanoTime() < deadline) {
      Thread.sleep(20);
      arrived = arrived(domain, ids);
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      expected.add(ids + i);
    }
    assertThat(arrived).as("well-behaved messages delivered to %s", domain).isEqualTo(expected);
    assertThat(federation.deliveredTo(HostileFederation.A))
        .noneMatch(e -> "error".equals(e.attributeValue("type")) && id(e).startsWith(prefix));
    assertThat(federation.deliveredTo(HostileFederation.B))
        .noneMatch(e -> "error".equals(e.attributeValue("type")) && id(e).startsWith(prefix));
  }

  private List<String> arrived(String domain, String ids) {
    return federation.deliveredTo(domain).stream()
        .filter(e -> !"error".equals(e.attributeValue("type")))
        .map(Traffic::id)
        .filter(id -> id.startsWith(ids))
        .toList();
  }

  private static String id(Element e) {
    String id = e.attributeValue("id");
    return id == null ? "" : id;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
