package org.passerelle.proxy.dns;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * Orders SRV records as RFC 2782 ("Usage rules") prescribes: by priority ascending, then by
 * weighted random selection within each priority. Records of different services are mixed as if
 * they were one RRset (XEP-0368 §3, rule 1).
 */
final class Rfc2782Order {

  private final RandomGenerator random;

  /**
   * @param random the source of randomness; calls are serialized here, so any generator will do
   */
  Rfc2782Order(RandomGenerator random) {
    this.random = Objects.requireNonNull(random, "random");
  }

  /** The records in the order to try them. */
  List<ServiceRecord> order(Collection<ServiceRecord> records) {
    TreeMap<Integer, List<ServiceRecord>> byPriority = new TreeMap<>();
    for (ServiceRecord record : records) {
      byPriority.computeIfAbsent(record.priority(), p -> new ArrayList<>()).add(record);
    }
    List<ServiceRecord> ordered = new ArrayList<>(records.size());
    synchronized (this) {
      byPriority.values().forEach(group -> ordered.addAll(byWeight(group)));
    }
    return List.copyOf(ordered);
  }

  private List<ServiceRecord> byWeight(List<ServiceRecord> group) {
    // RFC 2782: zero-weight records go first in the running sum, so they are chosen only when the
    // random number is 0: "a very small chance of being selected".
    List<ServiceRecord> unordered = new ArrayList<>(group);
    unordered.sort(Comparator.comparing((ServiceRecord r) -> r.weight() != 0));
    List<ServiceRecord> ordered = new ArrayList<>(group.size());
    while (unordered.size() > 1) {
      long sum = unordered.stream().mapToLong(ServiceRecord::weight).sum();
      long pick = random.nextLong(sum + 1); // uniform in [0, sum], RFC 2782 says inclusive
      long runningSum = 0;
      for (int i = 0; i < unordered.size(); i++) {
        runningSum += unordered.get(i).weight();
        if (runningSum >= pick) {
          ordered.add(unordered.remove(i));
          break;
        }
      }
    }
    ordered.addAll(unordered);
    return ordered;
  }
}
