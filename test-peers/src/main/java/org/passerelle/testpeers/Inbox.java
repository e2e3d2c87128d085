package org.passerelle.testpeers;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What a test client received, for tests to await: an item that one wait does not take stays for
 * the next. Shared by the XMPP and SIP test clients of this module.
 */
public final class Inbox<T> {

  private final String owner;
  private final String kind;
  private final Function<? super T, String> describe;
  private final BlockingQueue<T> arrived = new LinkedBlockingQueue<>();

  /** Received items that an {@link #await} call did not take; guarded by {@code this}. */
  private final List<T> unclaimed = new ArrayList<>();

  /** An inbox whose failure messages list the items by {@code toString()}. */
  public Inbox(String owner, String kind) {
    this(owner, kind, String::valueOf);
  }

  /**
   * @param owner who receives, for failure messages, e.g. {@code alice@p.test}
   * @param kind what is received, e.g. {@code presence}
   * @param describe how a failure message lists an item
   */
  public Inbox(String owner, String kind, Function<? super T, String> describe) {
    this.owner = Objects.requireNonNull(owner, "owner");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.describe = Objects.requireNonNull(describe, "describe");
  }

  /** Called by the clients' network threads. */
  public void add(T item) {
    arrived.add(Objects.requireNonNull(item, "item"));
  }

  /**
   * Waits for a received item that matches {@code match}, including one received before this call
   * and not yet taken. With a zero {@code timeout} it only looks at what has arrived.
   *
   * @throws AssertionError on timeout, listing what did arrive
   */
  public synchronized T await(Predicate<? super T> match, Duration timeout) {
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
        // Past the deadline, what has arrived is still looked at: a zero timeout checks it all.
        T item = left > 0 ? arrived.poll(left, TimeUnit.MILLISECONDS) : arrived.poll();
        if (item == null) {
          throw new AssertionError(
              owner
                  + " received no matching "
                  + kind
                  + " within "
                  + timeout.toMillis()
                  + " ms; received: "
                  + unclaimed.stream()
                      .map(describe)
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
