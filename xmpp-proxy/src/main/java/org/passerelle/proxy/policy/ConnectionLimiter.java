package org.passerelle.proxy.policy;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Streams open per partner, inbound and outbound together, against each partner's limit. */
final class ConnectionLimiter {
  private final ConcurrentMap<String, Integer> counts = new ConcurrentHashMap<>();

  /** A permit if {@code key} has fewer than {@code limit} streams; empty otherwise. */
  Optional<ConnectionPermit> tryAcquire(String key, int limit) {
    boolean[] granted = {false};
    counts.compute(
        key,
        (k, count) -> {
          int current = count == null ? 0 : count;
          if (current >= limit) {
            return count;
          }
          granted[0] = true;
          return current + 1;
        });
    return granted[0] ? Optional.of(new ConnectionPermit(this, key)) : Optional.empty();
  }

  void release(String key) {
    counts.computeIfPresent(key, (k, count) -> count <= 1 ? null : count - 1);
  }

  int count(String key) {
    return counts.getOrDefault(key, 0);
  }
}
