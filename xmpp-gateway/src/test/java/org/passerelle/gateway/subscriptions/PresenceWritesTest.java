package org.passerelle.gateway.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.gateway.store.JdbcSubscriptionStore;
import org.passerelle.gateway.store.LastPresence;
import org.passerelle.gateway.store.StoreSettings;
import org.passerelle.gateway.store.SubscriptionStore;

class PresenceWritesTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir Path dir;

  private final PresenceLoop loop = new PresenceLoop(1_000);
  private final List<String> writes = new CopyOnWriteArrayList<>();
  private JdbcSubscriptionStore real;
  private PresenceWrites presenceWrites;

  @BeforeEach
  void start() {
    real = JdbcSubscriptionStore.open(StoreSettings.embedded(dir));
    SubscriptionStore recording =
        (SubscriptionStore)
            Proxy.newProxyInstance(
                SubscriptionStore.class.getClassLoader(),
                new Class<?>[] {SubscriptionStore.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("putPresences")) {
                    writes.add("putPresences " + ((List<?>) args[0]).size());
                  } else if (method.getName().equals("putPresence")) {
                    writes.add("putPresence 1");
                  }
                  try {
                    return method.invoke(real, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    presenceWrites = new PresenceWrites(recording, new Flow(loop));
  }

  @AfterEach
  void stop() {
    loop.close();
    real.close();
  }

  private static LastPresence presence(String contact, String pidf, long second) {
    return new LastPresence(contact, pidf, T0.plusSeconds(second));
  }

  @Test
  void presencesWaitingBehindAWriteGoTogetherLatestOfEachContact() throws Exception {
    loop.execute(
        () -> {
          presenceWrites.put(presence("a@xmpp.test", "<a1/>", 1));
          presenceWrites.put(presence("b@xmpp.test", "<b1/>", 1));
          presenceWrites.put(presence("c@xmpp.test", "<c1/>", 1));
          presenceWrites.put(presence("b@xmpp.test", "<b2/>", 2));
        });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      CompletableFuture<Integer> pending = new CompletableFuture<>();
      loop.execute(() -> pending.complete(presenceWrites.pending()));
      if (pending.get(5, TimeUnit.SECONDS) == 0) {
        break;
      }
      Thread.sleep(10);
    }

    assertThat(writes).containsExactly("putPresence 1", "putPresences 2");
    assertThat(real.presence("b@xmpp.test").toCompletableFuture().join().orElseThrow().pidf())
        .isEqualTo("<b2/>");
    assertThat(real.presence("c@xmpp.test").toCompletableFuture().join()).isPresent();
  }
}
