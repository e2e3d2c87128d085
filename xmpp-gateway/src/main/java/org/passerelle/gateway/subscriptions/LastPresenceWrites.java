package org.passerelle.gateway.subscriptions;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.passerelle.gateway.store.LastPresence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the last presence of each watched contact to the store behind the NOTIFYs, one transaction
 * at a time: what arrives while a write is under way waits, only the newest presence of each
 * contact, and goes in the next transaction with every other contact's. An idle gateway writes each
 * update at once; under a presence storm the store commits once per batch instead of once per
 * update, and what waits is bounded by the contacts watched. One write per update filled the
 * store's queue at a few thousand updates a second, after which every store operation failed (issue
 * 7, presence load). Confined to the presence thread.
 */
final class LastPresenceWrites {
  private static final Logger LOG = LoggerFactory.getLogger(LastPresenceWrites.class);

  /** The most contacts written in one transaction; the rest wait for the next. */
  static final int MAX_BATCH = 1_000;

  private final Function<List<LastPresence>, CompletionStage<Integer>> store;
  private final Flow flow;
  private final Map<String, LastPresence> waiting = new LinkedHashMap<>();
  private int writing;

  /**
   * @param store the store's {@code putPresences}
   */
  LastPresenceWrites(Function<List<LastPresence>, CompletionStage<Integer>> store, Flow flow) {
    this.store = store;
    this.flow = flow;
  }

  /** Stores {@code presence} now, or with the next batch if a write is under way. */
  void put(LastPresence presence) {
    waiting.put(presence.contactJid(), presence);
    if (writing == 0) {
      writeWaiting();
    }
  }

  /** Presences being written or waiting to be: for tests. */
  int pending() {
    return writing + waiting.size();
  }

  private void writeWaiting() {
    if (waiting.isEmpty()) {
      return;
    }
    List<LastPresence> batch = new ArrayList<>(Math.min(waiting.size(), MAX_BATCH));
    Iterator<LastPresence> next = waiting.values().iterator();
    while (next.hasNext() && batch.size() < MAX_BATCH) {
      batch.add(next.next());
      next.remove();
    }
    writing = batch.size();
    flow.then(
        store.apply(batch),
        "storing the presence of " + batch.size() + " contact(s)",
        stored -> done(),
        error -> {
          LOG.warn(
              "storing the presence of {} contact(s) failed: {}", batch.size(), error.getMessage());
          done();
        });
  }

  private void done() {
    writing = 0;
    writeWaiting();
  }
}
