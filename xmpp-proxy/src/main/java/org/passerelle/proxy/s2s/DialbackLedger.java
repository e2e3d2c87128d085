package org.passerelle.proxy.s2s;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dialback keys this server has sent and not yet seen answered. As the authoritative server we
 * confirm a key only if we really sent it on that stream (XEP-0220 §3.1: unsolicited or replayed
 * requests are refused), not merely because its HMAC is right.
 */
public final class DialbackLedger {
  private final Set<Entry> sent = ConcurrentHashMap.newKeySet();

  private record Entry(String originating, String receiving, String streamId) {}

  void recordSent(String originating, String receiving, String streamId) {
    sent.add(new Entry(originating, receiving, streamId));
  }

  void forget(String originating, String receiving, String streamId) {
    sent.remove(new Entry(originating, receiving, streamId));
  }

  boolean wasSent(String originating, String receiving, String streamId) {
    return sent.contains(new Entry(originating, receiving, streamId));
  }
}
