package org.passerelle.gateway.subscriptions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.passerelle.gateway.store.LastPresence;
import org.passerelle.gateway.store.SubscriptionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last presence of each watched contact on its way to the store, one transaction at a time:
 * presences that arrive meanwhile wait, only the latest of each contact is kept, and they go
 * together in one transaction, so that a burst (every contact answering its probe after a restart)
 * costs a few commits, not one each. Confined to the presence thread.
 */
final class PresenceWrites {
  private static final Logger LOG = LoggerFactory.getLogger(PresenceWrites.class);

  private final SubscriptionStore store;
  private final Flow flow;
  private final Map<String, LastPresence> waiting = new LinkedHashMap<>();
  private boolean writing;

  PresenceWrites(SubscriptionStore store, Flow flow) {
    this.store = store;
    this.flow = flow;
  }

  void put(LastPresence presence) {
    waiting.put(presence.contactJid(), presence);
    writeNext();
  }

  /** Presences waiting or being written, for tests. */
  int pending() {
    return waiting.size() + (writing ? 1 : 0);
  }

  private void writeNext() {
    if (writing || waiting.isEmpty()) {
      return;
    }
    writing = true;
    List<LastPresence> batch = new ArrayList<>(waiting.values());
    waiting.clear();
    String what =
        batch.size() == 1
            ? "storing presence of " + batch.get(0).contactJid()
            : "storing " + batch.size() + " presences";
    CompletionStage<?> write =
        batch.size() == 1 ? store.putPresence(batch.get(0)) : store.putPresences(batch);
    flow.then(
        write,
        what,
        done -> done(),
        error -> {
          LOG.warn("{} failed: {}", what, error.getMessage());
          done();
        });
  }

  private void done() {
    writing = false;
    writeNext();
  }
}
