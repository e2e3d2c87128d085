package org.passerelle.gateway.subscriptions;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.passerelle.gateway.store.AuthorizationKey;
import org.passerelle.gateway.store.AuthorizationState;
import org.passerelle.gateway.store.StoredSubscription;
import org.passerelle.gateway.store.SubscriptionStore;

/**
 * Takes up every stored subscription after a restart, granted ones first, as {@link RestorePacer}
 * allows: pages of authorisations with their dialogs (one store read each) are read ahead while the
 * previous page is being restored, so the store never sets the pace, and a restore counts as in
 * flight until its SIP side answered. Confined to the presence thread: {@link #start()} is called
 * there and every stage it waits for completes there.
 */
final class SubscriptionRestore {
  private static final List<AuthorizationState> ORDER =
      List.of(
          AuthorizationState.GRANTED,
          AuthorizationState.PENDING_IN,
          AuthorizationState.PENDING_OUT);

  /** Where the pages come from: {@link SubscriptionStore#subscriptionsAfter}, or a test's. */
  interface Source {
    CompletionStage<List<StoredSubscription>> page(
        AuthorizationState state, Optional<AuthorizationKey> after, int limit);
  }

  private final Source source;
  private final int pageSize;
  private final RestorePacer pacer;
  private final Function<StoredSubscription, CompletionStage<Void>> restoreOne;
  private final PresenceLoop loop;
  private final Flow flow;
  private final CompletableFuture<Long> done = new CompletableFuture<>();

  private final ArrayDeque<StoredSubscription> ready = new ArrayDeque<>();
  private final Iterator<AuthorizationState> states = ORDER.iterator();
  private AuthorizationState state;
  private Optional<AuthorizationKey> after = Optional.empty();
  private boolean reading;
  private boolean exhausted;
  private boolean pumping;
  private boolean wakeUpScheduled;
  private long restored;

  /**
   * @param restoreOne restores one subscription; its stage completes on the presence thread once
   *     the SIP side answered (or at once if nothing was sent)
   */
  SubscriptionRestore(
      SubscriptionStore store,
      int pageSize,
      RestorePacer pacer,
      Function<StoredSubscription, CompletionStage<Void>> restoreOne,
      PresenceLoop loop) {
    this(store::subscriptionsAfter, pageSize, pacer, restoreOne, loop);
  }

  SubscriptionRestore(
      Source source,
      int pageSize,
      RestorePacer pacer,
      Function<StoredSubscription, CompletionStage<Void>> restoreOne,
      PresenceLoop loop) {
    this.source = source;
    this.pageSize = pageSize;
    this.pacer = pacer;
    this.restoreOne = restoreOne;
    this.loop = loop;
    this.flow = new Flow(loop);
    this.state = states.next();
  }

  /** Starts reading and restoring; completes with the number of subscriptions taken up. */
  CompletionStage<Long> start() {
    read();
    return done;
  }

  /** Reads the next page once fewer than half a page wait, one read at a time. */
  private void read() {
    if (reading || exhausted || ready.size() >= pageSize / 2) {
      return;
    }
    reading = true;
    flow.then(
        source.page(state, after, pageSize),
        "reading stored subscriptions",
        page -> {
          reading = false;
          ready.addAll(page);
          if (page.size() < pageSize) {
            nextState();
          } else {
            after = Optional.of(page.get(page.size() - 1).authorization().key());
          }
          pump();
        },
        error -> {
          reading = false;
          exhausted = true;
          ready.clear();
          done.completeExceptionally(error);
        });
  }

  private void nextState() {
    after = Optional.empty();
    if (states.hasNext()) {
      state = states.next();
    } else {
      exhausted = true;
    }
  }

  /** Starts what the pacer allows, then waits for a token, an answer or a page. */
  private void pump() {
    if (pumping || done.isDone()) {
      return;
    }
    pumping = true;
    try {
      while (!ready.isEmpty() && pacer.tryStart()) {
        StoredSubscription next = ready.poll();
        CompletionStage<Void> restoring;
        try {
          restoring = restoreOne.apply(next);
        } catch (RuntimeException e) {
          restoring = CompletableFuture.failedFuture(e);
        }
        restoring.whenComplete((ignored, error) -> onFinished());
      }
      read();
      if (!ready.isEmpty() && !pacer.isFull() && !wakeUpScheduled) {
        wakeUpScheduled = true;
        loop.schedule(
            () -> {
              wakeUpScheduled = false;
              pump();
            },
            Duration.ofNanos(Math.max(pacer.nanosUntilToken(), 1_000_000)));
      }
    } finally {
      pumping = false;
    }
    if (ready.isEmpty() && exhausted && !reading && pacer.inFlight() == 0) {
      done.complete(restored);
    }
  }

  private void onFinished() {
    pacer.finished();
    restored++;
    pump();
  }
}
