package org.passerelle.gateway.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.passerelle.gateway.store.Authorization;
import org.passerelle.gateway.store.AuthorizationKey;
import org.passerelle.gateway.store.AuthorizationState;
import org.passerelle.gateway.store.Direction;
import org.passerelle.gateway.store.StoredSubscription;

class SubscriptionRestoreTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private final PresenceLoop loop = new PresenceLoop(10_000);
  private final List<String> pagesRead = new CopyOnWriteArrayList<>();
  private final BlockingQueue<Started> started = new LinkedBlockingQueue<>();
  private final AtomicInteger startedCount = new AtomicInteger();

  /** One restore under way: complete it to say the SIP side answered. */
  private record Started(StoredSubscription subscription, CompletableFuture<Void> answer) {}

  @AfterEach
  void stop() {
    loop.close();
  }

  /** {@code granted} granted and {@code pending} pending authorisations, in key order. */
  private SubscriptionRestore.Source store(int granted, int pending) {
    return (state, after, limit) -> {
      CompletableFuture<List<StoredSubscription>> page = new CompletableFuture<>();
      List<StoredSubscription> rows = new ArrayList<>();
      int count =
          state == AuthorizationState.GRANTED
              ? granted
              : state == AuthorizationState.PENDING_IN ? pending : 0;
      int from = after.map(k -> Integer.parseInt(k.localJid().substring(4, 8)) + 1).orElse(0);
      for (int i = from; i < Math.min(count, from + limit); i++) {
        rows.add(subscription(i, state));
      }
      pagesRead.add(state + "@" + from + " after " + startedCount.get() + " started");
      loop.execute(() -> page.complete(rows));
      return page;
    };
  }

  private static StoredSubscription subscription(int i, AuthorizationState state) {
    AuthorizationKey key =
        new AuthorizationKey(
            String.format("user%04d@sip.test", i), "contact@xmpp.test", Direction.XMPP_WATCHES_SIP);
    Authorization authorization =
        state == AuthorizationState.GRANTED
            ? Authorization.granted(key, T0)
            : Authorization.requested(key, T0);
    return new StoredSubscription(authorization, List.of());
  }

  private CompletionStage<Long> restore(SubscriptionRestore.Source source, int maxInFlight) {
    RestorePacer pacer = new RestorePacer(1_000_000, maxInFlight, System::nanoTime);
    CompletableFuture<Long> result = new CompletableFuture<>();
    loop.execute(
        () ->
            new SubscriptionRestore(
                    source,
                    4,
                    pacer,
                    subscription -> {
                      CompletableFuture<Void> answer = new CompletableFuture<>();
                      startedCount.incrementAndGet();
                      started.add(new Started(subscription, answer));
                      return answer;
                    },
                    loop)
                .start()
                .whenComplete(
                    (count, error) -> {
                      if (error != null) {
                        result.completeExceptionally(error);
                      } else {
                        result.complete(count);
                      }
                    }));
    return result;
  }

  private Started next() throws InterruptedException {
    Started next = started.poll(5, TimeUnit.SECONDS);
    assertThat(next).as("a restore started").isNotNull();
    return next;
  }

  private void answer(Started restore) {
    loop.execute(() -> restore.answer().complete(null));
  }

  @Test
  void grantedAuthorisationsComeFirstAndEveryOneIsCounted() throws Exception {
    CompletionStage<Long> done = restore(store(6, 3), 100);

    List<String> order = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      Started restore = next();
      order.add(
          restore.subscription().authorization().state()
              + " "
              + restore.subscription().authorization().key().localJid());
      answer(restore);
    }

    assertThat(done.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo(9);
    assertThat(order.subList(0, 6)).allMatch(s -> s.startsWith("GRANTED"));
    assertThat(order.subList(6, 9)).allMatch(s -> s.startsWith("PENDING_IN"));
    assertThat(order).doesNotHaveDuplicates();
  }

  @Test
  void theNextPageIsReadWhileThePreviousOneIsStillUnanswered() throws Exception {
    restore(store(12, 0), 100);

    List<Started> unanswered = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      unanswered.add(next()); // none answered: no page waits for the previous one
    }

    assertThat(unanswered).hasSize(12);
    assertThat(pagesRead).contains("GRANTED@4 after 4 started", "GRANTED@8 after 8 started");
  }

  @Test
  void noMoreThanMaxInFlightAreUnansweredAtOnce() throws Exception {
    CompletionStage<Long> done = restore(store(5, 0), 2);

    Started first = next();
    next();
    assertThat(started.poll(300, TimeUnit.MILLISECONDS)).as("a third before an answer").isNull();

    answer(first);
    Started third = next();
    assertThat(third.subscription().authorization().key().localJid()).startsWith("user0002");
    assertThat(done.toCompletableFuture().isDone()).isFalse();
  }

  @Test
  void aFailedPageReadFailsTheRestore() throws Exception {
    CompletionStage<Long> done =
        restore(
            (state, after, limit) ->
                CompletableFuture.failedFuture(new IllegalStateException("db")),
            10);

    assertThat(done.toCompletableFuture())
        .failsWithin(5, TimeUnit.SECONDS)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withMessageContaining("db");
  }
}
