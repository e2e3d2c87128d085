package org.passerelle.bench.load;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The dialback keys the simulator's outgoing streams sent (XEP-0220 §2.1.1), so its authoritative
 * server can answer the proxy's {@code db:verify} truthfully (§2.2.2). Bounded: a key is forgotten
 * once verified, and a run opens a handful of streams.
 */
final class DialbackKeys {
  private static final int MAX_PENDING = 10_000;

  private final ConcurrentMap<String, String> keys = new ConcurrentHashMap<>();

  /** A fresh key for the stream {@code streamId} that {@code sender} opened to {@code receiver}. */
  String issue(String sender, String receiver, String streamId) {
    if (keys.size() >= MAX_PENDING) {
      throw new IllegalStateException("too many dialback keys pending verification");
    }
    String key = Long.toHexString(ThreadLocalRandom.current().nextLong()) + "b0a7";
    keys.put(sender + '|' + receiver + '|' + streamId, key);
    return key;
  }

  boolean verify(String sender, String receiver, String streamId, String key) {
    String expected = keys.remove(sender + '|' + receiver + '|' + streamId);
    return expected != null && expected.equals(key);
  }
}
