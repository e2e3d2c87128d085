package org.passerelle.gateway.sip;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Via branch parameters for the requests we send (RFC 3261 §8.1.1.7): the magic cookie, a random
 * part drawn once per process and a counter — unique in space and time, as the branch must be. We
 * set the branch ourselves because JAIN-SIP, left to it, hashes a fresh value with MD5 under a lock
 * for every request.
 */
final class BranchIds {
  static final String MAGIC_COOKIE = "z9hG4bK";

  private static final String PREFIX = MAGIC_COOKIE + processPart() + ".";
  private static final AtomicLong COUNTER = new AtomicLong();

  private BranchIds() {}

  static String next() {
    return PREFIX + Long.toString(COUNTER.incrementAndGet(), 36);
  }

  private static String processPart() {
    return Long.toString(new SecureRandom().nextLong() & Long.MAX_VALUE, 36);
  }
}
