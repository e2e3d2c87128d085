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
  private final List<LastPresence> written = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<Boolean>> answers = new CopyOnWriteArrayList<>();
  private final LastPresenceWrites writes = new LastPresenceWrites(this::put, new Flow(loop));

  @AfterEach
  void stop() {
    loop.close();
  }

  private CompletionStage<Boolean> put(LastPresence presence) {
    written.add(presence);
    CompletableFuture<Boolean> answer = new CompletableFuture<>();
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

  @Test
  void updatesDuringAWriteAreStoredOnceAfterItAsTheNewest() throws Exception {
    onLoop(
        () -> {
          for (int version = 1; version <= 5; version++) {
            writes.put(presence(BOB, version));
          }
        });
    assertEquals(1, written.size());

    answers.get(0).complete(true);
    onLoop(() -> {});

    assertEquals(2, written.size());
    assertEquals("<presence>v5</presence>", written.get(1).pidf());
    answers.get(1).complete(true);
    onLoop(() -> assertEquals(0, writes.pending()));
    assertEquals(2, written.size());
  }

  @Test
  void eachContactIsWrittenWithoutWaitingForAnother() throws Exception {
    onLoop(
        () -> {
          writes.put(presence(BOB, 1));
          writes.put(presence(CAROL, 1));
        });

    assertEquals(List.of(BOB, CAROL), written.stream().map(LastPresence::contactJid).toList());
  }

  @Test
  void aFailedWriteLetsTheWaitingUpdateBeWritten() throws Exception {
    onLoop(
        () -> {
          writes.put(presence(BOB, 1));
          writes.put(presence(BOB, 2));
        });

    answers.get(0).completeExceptionally(new StoreException("full"));
    onLoop(() -> {});

    assertEquals(2, written.size());
    assertEquals("<presence>v2</presence>", written.get(1).pidf());
  }
}
