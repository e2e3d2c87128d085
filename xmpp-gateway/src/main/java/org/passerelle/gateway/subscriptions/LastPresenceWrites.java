package org.passerelle.gateway.subscriptions;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.passerelle.gateway.store.LastPresence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the last presence of each watched contact to the store behind the NOTIFYs, at most one
 * write per contact at a time: an update that comes while its contact's write is under way waits,
 * and a newer one replaces it. Only the newest presence matters after a restart, so a presence
 * storm costs the store one write per contact in flight instead of one per update — which, one per
 * update, filled the store's queue at a few thousand updates a second and made writes fail (issue
 * 7, presence load). Confined to the presence thread.
 */
final class LastPresenceWrites {
  private static final Logger LOG = LoggerFactory.getLogger(LastPresenceWrites.class);

  private final Function<LastPresence, CompletionStage<Boolean>> store;
  private final Flow flow;
  private final Set<String> writing = new HashSet<>();
  private final Map<String, LastPresence> waiting = new HashMap<>();

  /**
   * @param store the store's {@code putPresence}
   */
  LastPresenceWrites(Function<LastPresence, CompletionStage<Boolean>> store, Flow flow) {
    this.store = store;
    this.flow = flow;
  }

  /** Stores {@code presence} now, or once the write of its contact under way has ended. */
  void put(LastPresence presence) {
    if (writing.contains(presence.contactJid())) {
      waiting.put(presence.contactJid(), presence);
      return;
    }
    write(presence);
  }

  /** Contacts whose presence is being written or waits to be: for tests. */
  int pending() {
    return writing.size() + waiting.size();
  }

  private void write(LastPresence presence) {
    String contact = presence.contactJid();
    writing.add(contact);
    flow.then(
        store.apply(presence),
        "storing presence of " + contact,
        stored -> next(contact),
        error -> {
          LOG.warn("storing presence of {} failed: {}", contact, error.getMessage());
          next(contact);
        });
  }

  private void next(String contact) {
    writing.remove(contact);
    LastPresence newer = waiting.remove(contact);
    if (newer != null) {
      write(newer);
    }
  }
}
