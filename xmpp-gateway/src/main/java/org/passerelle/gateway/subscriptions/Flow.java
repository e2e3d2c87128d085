package org.passerelle.gateway.subscriptions;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Continues an asynchronous step (a store operation, a SIP transaction) back on the presence
 * thread. A continuation that cannot be queued is logged, never lost without a word.
 */
final class Flow {
  private static final Logger LOG = LoggerFactory.getLogger(Flow.class);

  private final PresenceLoop loop;

  Flow(PresenceLoop loop) {
    this.loop = loop;
  }

  /** Runs {@code onValue} with the stage's value, or logs its failure as {@code what} failing. */
  <T> void then(CompletionStage<T> stage, String what, Consumer<? super T> onValue) {
    then(stage, what, onValue, error -> LOG.warn("{} failed: {}", what, error.getMessage()));
  }

  /** Runs {@code onValue} with the stage's value, or {@code onError} with its failure's cause. */
  <T> void then(
      CompletionStage<T> stage,
      String what,
      Consumer<? super T> onValue,
      Consumer<Throwable> onError) {
    stage.whenCompleteAsync(
        (value, error) -> {
          if (error == null) {
            onValue.accept(value);
          } else {
            onError.accept(cause(error));
          }
        },
        executor(what));
  }

  /** The presence thread as an executor that logs what it cannot take. */
  Executor executor(String what) {
    return task -> {
      if (!loop.offer(task)) {
        if (loop.isClosed()) {
          LOG.debug("presence stopped: the result of {} is left", what);
        } else {
          LOG.warn("presence queue full: the result of {} was not handled", what);
        }
      }
    };
  }

  static Throwable cause(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }
}
