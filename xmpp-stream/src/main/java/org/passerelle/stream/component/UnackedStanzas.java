package org.passerelle.stream.component;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * What was sent on the link and not yet acknowledged, oldest first, with the XEP-0198 counters (§4:
 * they count stanzas and wrap at 2^32). Confined to one thread, the link's event loop.
 *
 * @param <T> what is remembered per stanza: the stanza itself, or the stanza with its waiter
 */
public final class UnackedStanzas<T> {
  private static final long MOD = 1L << 32;

  private final ArrayDeque<T> unacked = new ArrayDeque<>();
  private long acked;

  public void sent(T stanza) {
    unacked.add(stanza);
  }

  /**
   * Applies an acknowledgement: {@code handled} is the peer's count of stanzas taken so far.
   * Returns the newly acknowledged entries, oldest first, or {@code null} when it acknowledges more
   * than was sent — a protocol error.
   */
  public List<T> acknowledge(long handled) {
    long newly = (handled - acked + MOD) % MOD;
    if (newly > unacked.size()) {
      return null;
    }
    List<T> done = new ArrayList<>((int) newly);
    for (long i = 0; i < newly; i++) {
      done.add(unacked.poll());
    }
    acked = handled;
    return done;
  }

  public int size() {
    return unacked.size();
  }

  public boolean isEmpty() {
    return unacked.isEmpty();
  }

  /**
   * Everything not acknowledged, oldest first; the ledger starts over (a new link counts from
   * zero).
   */
  public List<T> drain() {
    List<T> rest = new ArrayList<>(unacked);
    unacked.clear();
    acked = 0;
    return rest;
  }
}
