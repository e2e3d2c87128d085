package org.passerelle.gateway;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Counts asynchronous work handed out and not finished — SIP MESSAGEs sent, stanzas sent over the
 * link — so that a stopping gateway knows when it is done. What a finished piece of work starts in
 * turn (a bounce over the link after a SIP failure) is counted before the first is uncounted.
 */
final class UnderWay {
  private final AtomicInteger count = new AtomicInteger();

  <T> CompletionStage<T> track(Supplier<CompletionStage<T>> work) {
    count.incrementAndGet();
    CompletionStage<T> stage;
    try {
      stage = work.get();
    } catch (RuntimeException e) {
      count.decrementAndGet();
      throw e;
    }
    CompletableFuture<T> tracked = new CompletableFuture<>();
    stage.whenComplete(
        (value, failure) -> {
          try {
            // Runs what waits on the result, and what that starts, before this is uncounted.
            if (failure != null) {
              tracked.completeExceptionally(failure);
            } else {
              tracked.complete(value);
            }
          } finally {
            count.decrementAndGet();
          }
        });
    return tracked;
  }

  int count() {
    return count.get();
  }
}
