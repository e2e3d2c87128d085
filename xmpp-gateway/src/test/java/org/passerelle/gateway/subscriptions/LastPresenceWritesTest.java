package org.passerelle.gateway.subscriptions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.passerelle.gateway.store.LastPresence;
import org.passerelle.gateway.store.StoreException;

class LastPresenceWritesTest {
  private static final String BOB = "bob@xmpp.test";
  private static final String CAROL = "carol@xmpp.test";

  private final PresenceLoop loop = new PresenceLoop(1_000);
  private final List<List<LastPresence>> written = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<Integer>> answers = new CopyOnWriteArrayList<>();
  private final LastPresenceWrites writes = new LastPresenceWrites(this::put, new Flow(loop));

  @AfterEach
  void stop() {
    loop.close();
  }

  private CompletionStage<Integer> put(List<LastPresence> presences) {
    written.add(List.copyOf(presences));
    CompletableFuture<Integer> answer = new CompletableFuture<>();
    answers.add(answer);
    return answer;
  }

  /** Runs {@code action} on the presence thread after everything queued there before it. */
  private void onLoop(Runnable action) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop.offer(
        () -> {
          action.run();
          done.complete(null);
        });
    done.get(5, TimeUnit.SECONDS);
  }

  private static LastPresence presence(String contact, int version) {
    return new LastPresence(contact, "<presence>v" + version + "</presence>", Instant.now());
  }

  private static List<String> pidfs(List<LastPresence> batch) {
    return batch.stream().map(p -> p.contactJid() + " " + p.pidf()).toList();
  }

  @Test
  void anUpdateIsWrittenAtOnceWhenNoWriteIsUnderWay() throws Exception {
    onLoop(() -> writes.put(presence(BOB, 1)));

    assertEquals(
        List.of(List.of(BOB + " <presence>v1</presence>")),
        written.stream().map(LastPresenceWritesTest::pidfs).toList());
  }

  @Test
  void updatesDuringAWriteGoInOneBatchWithOnlyTheNewestOfEachContact() throws Exception {
    onLoop(
        () -> {
          writes.put(presence(BOB, 1));
          for (int version = 2; version <= 5; version++) {
            writes.put(presence(BOB, version));
          }
          writes.put(presence(CAROL, 1));
        });
    assertEquals(1, written.size());

    answers.get(0).complete(1);
    onLoop(() -> {});

    assertEquals(2, written.size());
    assertEquals(
        List.of(BOB + " <presence>v5</presence>", CAROL + " <presence>v1</presence>"),
        pidfs(written.get(1)));
    answers.get(1).complete(2);
    onLoop(() -> assertEquals(0, writes.pending()));
    assertEquals(2, written.size());
  }

  @Test
  void aFailedWriteLetsTheWaitingUpdatesBeWritten() throws Exception {
    onLoop(
        () -> {
          writes.put(presence(BOB, 1));
          writes.put(presence(BOB, 2));
        });

    answers.get(0).completeExceptionally(new StoreException("full"));
    onLoop(() -> {});

    assertEquals(2, written.size());
    assertEquals(List.of(BOB + " <presence>v2</presence>"), pidfs(written.get(1)));
  }

  @Test
  void aBatchHoldsAtMostMaxBatchContactsAndTheRestFollow() throws Exception {
    onLoop(
        () -> {
          writes.put(presence(BOB, 1));
          for (int i = 0; i < LastPresenceWrites.MAX_BATCH + 1; i++) {
            writes.put(presence("c" + i + "@xmpp.test", 1));
          }
        });
    answers.get(0).complete(1);
    onLoop(() -> {});
    answers.get(1).complete(LastPresenceWrites.MAX_BATCH);
    onLoop(() -> {});

    assertEquals(3, written.size());
    assertEquals(LastPresenceWrites.MAX_BATCH, written.get(1).size());
    assertEquals(List.of("c1000@xmpp.test <presence>v1</presence>"), pidfs(written.get(2)));
  }
}
