package org.passerelle.stream.component;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.dom4j.Element;

/**
 * Stanzas sent on the link and not yet acknowledged, oldest first. Confined to one thread (the
 * link's event loop). {@link #acknowledge(long)} drops what the peer has taken; {@link #drain()}
 * hands back the rest when the link ends, for redelivery or an error.
 */
public final class UnackedStanzas {
  private static final long MOD = 1L << 32;

  private final ArrayDeque<Element> unacked = new ArrayDeque<>();
  private long sent;
  private long acked;

  public void sent(Element stanza) {
    unacked.add(stanza);
    sent = (sent + 1) % MOD;
  }

  /**
   * Applies an acknowledgement: {@code handled} is the peer's count of stanzas taken (XEP-0198 §4).
   * Returns false when it acknowledges more than was sent, a protocol error.
   */
  public boolean acknowledge(long handled) {
    long newly = (handled - acked + MOD) % MOD;
    if (newly > unacked.size()) {
      return false;
    }
    for (long i = 0; i < newly; i++) {
      unacked.poll();
    }
    acked = handled;
    return true;
  }

  public int size() {
    return unacked.size();
  }

  public boolean isEmpty() {
    return unacked.isEmpty();
  }

  /** Everything not acknowledged, oldest first; the ledger is empty afterwards. */
  public List<Element> drain() {
    List<Element> rest = new ArrayList<>(unacked);
    unacked.clear();
    return rest;
  }
}
