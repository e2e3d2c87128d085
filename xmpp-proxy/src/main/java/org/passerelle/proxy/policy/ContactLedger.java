package org.passerelle.proxy.policy;

import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The (local user, remote user) pairs in which the local user reached out: sent a message, asked
 * for or approved a presence subscription, or sent or probed presence (which a server does only for
 * contacts, RFC 6121 §4.3 and §4.4), most recently. An unverified domain's user may write to a
 * local user only if such a pair exists ({@link TrustTier#PUBLIC_UNVERIFIED}).
 *
 * <p>An approximation of "has them in their contacts": the proxy cannot see rosters, which live on
 * the SIP side. A pair expires {@link ContactLimits#expiry()} after it was last renewed, the oldest
 * pair goes first when {@link ContactLimits#maxPairs()} is reached, and the ledger is kept in
 * memory only: after a restart a local user must write again (or the gateway probe again) before an
 * unverified contact can reach them.
 *
 * <p>Keys are bare JIDs, lower-cased. Thread-safe.
 */
public final class ContactLedger {
  private record Pair(String local, String remote) {}

  private final Clock clock;

  /** In order of last renewal: the eldest entry expires first. */
  private final LinkedHashMap<Pair, Instant> pairs = new LinkedHashMap<>();

  private ContactLimits limits;

  public ContactLedger(ContactLimits limits, Clock clock) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Records, or renews, that {@code local} reached out to {@code remote}. */
  public synchronized void record(String local, String remote) {
    Pair pair = new Pair(local, remote);
    pairs.remove(pair);
    pairs.put(pair, clock.instant().plus(limits.expiry()));
    trim();
  }

  /** Whether {@code local} reached out to {@code remote} recently enough. */
  public synchronized boolean knows(String local, String remote) {
    Pair pair = new Pair(local, remote);
    Instant expires = pairs.get(pair);
    if (expires == null) {
      return false;
    }
    if (!clock.instant().isBefore(expires)) {
      pairs.remove(pair);
      return false;
    }
    return true;
  }

  /** Applies new bounds; pairs already recorded keep their expiry. */
  public synchronized void limits(ContactLimits next) {
    limits = Objects.requireNonNull(next, "next");
    trim();
  }

  public synchronized int size() {
    return pairs.size();
  }

  private void trim() {
    Instant now = clock.instant();
    for (Iterator<Map.Entry<Pair, Instant>> eldest = pairs.entrySet().iterator();
        eldest.hasNext(); ) {
      Map.Entry<Pair, Instant> entry = eldest.next();
      if (pairs.size() <= limits.maxPairs() && now.isBefore(entry.getValue())) {
        return;
      }
      eldest.remove();
    }
  }
}
