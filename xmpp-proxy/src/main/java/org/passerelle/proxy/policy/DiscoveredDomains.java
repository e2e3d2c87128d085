package org.passerelle.proxy.policy;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.function.LongSupplier;

/**
 * The discovered domains seen lately, for discovered federation's two limits: new domains per
 * minute, and stanzas per second from each domain. Bounded: the domain seen longest ago is
 * forgotten first (and counts as new if it comes back). Thread-safe; only discovered domains come
 * here, never listed partners.
 */
final class DiscoveredDomains {
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final Duration SECOND = Duration.ofSeconds(1);

  private final LongSupplier nanoTime;

  /** In access order: the eldest entry is the domain seen longest ago. */
  private final LinkedHashMap<String, TokenBucket> known = new LinkedHashMap<>(64, 0.75f, true);

  private Discovery settings;
  private TokenBucket newDomains;

  DiscoveredDomains(Discovery settings, LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    this.settings = settings;
    this.newDomains = new TokenBucket(settings.newDomainsPerMinute(), MINUTE, nanoTime.getAsLong());
  }

  /** Applies new limits; the domains already known stay known. */
  synchronized void configure(Discovery next) {
    long now = nanoTime.getAsLong();
    if (next.newDomainsPerMinute() != settings.newDomainsPerMinute()) {
      newDomains = new TokenBucket(next.newDomainsPerMinute(), MINUTE, now);
    }
    if (next.stanzasPerSecond() != settings.stanzasPerSecond()) {
      known.replaceAll((domain, bucket) -> new TokenBucket(next.stanzasPerSecond(), SECOND, now));
    }
    settings = next;
    trim();
  }

  /**
   * Whether {@code domain} may federate as a discovered domain: yes if it is known already, else if
   * the new-domains-per-minute budget allows one more.
   */
  synchronized boolean admit(String domain) {
    if (known.get(domain) != null) {
      return true;
    }
    long now = nanoTime.getAsLong();
    if (!newDomains.tryTake(now)) {
      return false;
    }
    known.put(domain, new TokenBucket(settings.stanzasPerSecond(), SECOND, now));
    trim();
    return true;
  }

  /** Whether one more stanza from {@code domain} is within its stanzas-per-second budget. */
  synchronized boolean takeStanza(String domain) {
    long now = nanoTime.getAsLong();
    TokenBucket bucket = known.get(domain);
    if (bucket == null) {
      // Admitted earlier but forgotten since; its stream is authenticated, so it is not new.
      bucket = new TokenBucket(settings.stanzasPerSecond(), SECOND, now);
      known.put(domain, bucket);
      trim();
    }
    return bucket.tryTake(now);
  }

  synchronized int size() {
    return known.size();
  }

  private void trim() {
    for (Iterator<String> eldest = known.keySet().iterator();
        known.size() > settings.maxDomains() && eldest.hasNext(); ) {
      eldest.next();
      eldest.remove();
    }
  }
}
