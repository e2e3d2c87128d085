package org.passerelle.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Establishes the presence load's subscriptions through the proxy and the gateway, not measured:
 * first every remote watcher subscribes to its SIP user (S2S {@code subscribe} → gateway → SIP
 * SUBSCRIBE → the SIP side's 200 and {@code active} NOTIFY → {@code subscribed} back on S2S), then
 * every SIP watcher subscribes to its remote contact (SUBSCRIBE → gateway → S2S {@code subscribe} →
 * {@code subscribed} → {@code active} NOTIFY). Requests leave at a bounded rate; each direction
 * must be complete within the time limit.
 */
final class PresenceSetUp {
  private static final Logger LOG = LoggerFactory.getLogger(PresenceSetUp.class);
  private static final int BATCH = 100;
  private static final Duration STALL = Duration.ofSeconds(20);

  private PresenceSetUp() {}

  /** What the set-up took, for the log and the docs. */
  record Took(int subscriptions, long xmppWatchesSipMillis, long sipWatchesXmppMillis) {}

  static Took establish(
      PresencePairs pairs,
      RemotePresence remote,
      SipPresenceDialogs sip,
      SipLoadClient sipClient,
      int ratePerSecond,
      Duration limit)
      throws InterruptedException {
    int n = pairs.count();
    long start = System.nanoTime();
    paced(n, ratePerSecond, (from, to) -> remote.requestSubscriptions(pairs, from, to));
    await(
        "XMPP→SIP subscriptions",
        n,
        () -> Math.min(remote.granted(), sip.notifierDialogs()),
        start,
        limit);
    long xmppWatchesSip = (System.nanoTime() - start) / 1_000_000;
    sip.freeze();

    long second = System.nanoTime();
    paced(
        n,
        ratePerSecond,
        (from, to) -> {
          List<String> requests = new ArrayList<>(to - from);
          for (int pair = from; pair < to; pair++) {
            requests.add(SipPresenceDialogs.subscribe(pairs, pair));
          }
          sipClient.write(requests);
        });
    await("SIP→XMPP subscriptions", n, () -> sip.activeWatches(), second, limit);
    long sipWatchesXmpp = (System.nanoTime() - second) / 1_000_000;
    LOG.info(
        "presence: {} subscriptions each way, XMPP watching SIP in {} ms, SIP watching XMPP in {} ms",
        n,
        xmppWatchesSip,
        sipWatchesXmpp);
    return new Took(n, xmppWatchesSip, sipWatchesXmpp);
  }

  private interface Batch {
    void send(int from, int to);
  }

  private static void paced(int n, int ratePerSecond, Batch batch) throws InterruptedException {
    long start = System.nanoTime();
    for (int from = 0; from < n; from += BATCH) {
      long due = start + (long) from * 1_000_000_000L / ratePerSecond;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      batch.send(from, Math.min(n, from + BATCH));
    }
  }

  /**
   * Waits until {@code n} are established, the time limit passes, or nothing moved for {@link
   * #STALL}: a subscription the gateway refused (its log says why) must not cost the whole run, so
   * an incomplete set-up is logged and the scenarios go on with what was established.
   */
  private static void await(String what, int n, LongSupplier done, long start, Duration limit)
      throws InterruptedException {
    long deadline = start + limit.toNanos();
    long last = -1;
    long lastMove = System.nanoTime();
    while (done.getAsLong() < n) {
      long now = System.nanoTime();
      long count = done.getAsLong();
      if (count != last) {
        last = count;
        lastMove = now;
      }
      if (now > deadline || now - lastMove > STALL.toNanos()) {
        LOG.warn(
            "{}: only {} of {} established (see the gateway's log); going on with them",
            what,
            count,
            n);
        return;
      }
      Thread.sleep(20);
    }
  }
}
