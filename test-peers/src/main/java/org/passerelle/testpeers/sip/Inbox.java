package org.passerelle.testpeers.sip;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What a client received, for tests to await: an item that one wait does not take stays for the
 * next.
 */
final class Inbox<T> {

  private final String owner;
  private final String kind;
  private final BlockingQueue<T> arrived = new LinkedBlockingQueue<>();

  /** Received items that an {@link #await} call did not take; guarded by {@code this}. */
  private final List<T> unclaimed = new ArrayList<>();

  Inbox(String owner, String kind) {
    this.owner = owner;
    this.kind = kind;
  }

  /** Called by the SIP stack's threads. */
  void add(T item) {
    arrived.add(item);
  }

  /**
   * Waits for a received item that matches {@code match}, including one received before this call
   * and not yet taken.
   *
   * @throws AssertionError on timeout, listing what did arrive
   */
  synchronized T await(Predicate<? super T> match, Duration timeout) {
    Objects.requireNonNull(match, "match");
    for (Iterator<T> it = unclaimed.iterator(); it.hasNext(); ) {
      T item = it.next();
      if (match.test(item)) {
        it.remove();
        return item;
      }
    }
    Instant deadline = Instant.now().plus(timeout);
    try {
      while (true) {
        long left = Duration.between(Instant.now(), deadline).toMillis();
        T item = left > 0 ? arrived.poll(left, TimeUnit.MILLISECONDS) : null;
        if (item == null) {
          throw new AssertionError(
              owner
                  + " received no matching "
                  + kind
                  + " within "
                  + timeout.toMillis()
                  + " ms; received: "
                  + unclaimed.stream()
                      .map(Object::toString)
                      .collect(Collectors.joining("\n  ", "[\n  ", "\n]")));
        }
        if (match.test(item)) {
          return item;
        }
        unclaimed.add(item);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a " + kind, e);
    }
  }
}
