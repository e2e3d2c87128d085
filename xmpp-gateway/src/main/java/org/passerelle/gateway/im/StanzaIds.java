package org.passerelle.gateway.im;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ids of the stanzas the gateway makes from SIP. They need only be unique (RFC 6120 §8.1.3): a
 * random prefix per process, so that two processes or two runs do not repeat each other, and a
 * sequence number, which also tells {@link SentMessages} where it keeps the message. Not secret:
 * {@link ImBridge} matches an error to the message it answers only when it comes from the
 * recipient's domain.
 */
final class StanzaIds {
  // 72 random bits in 12 characters of URL-safe Base64, then a separator before the sequence.
  private static final String PREFIX = newPrefix();

  private static final AtomicLong SEQUENCE = new AtomicLong();

  private StanzaIds() {}

  /** A new id; its sequence number is above every earlier one's. */
  static String next() {
    return PREFIX + Long.toString(SEQUENCE.incrementAndGet(), 36);
  }

  /** The sequence number of an id {@link #next} made in this process, or -1 for any other. */
  static long sequenceOf(String id) {
    if (id == null || !id.startsWith(PREFIX) || id.length() == PREFIX.length()) {
      return -1;
    }
    try {
      long sequence = Long.parseLong(id, PREFIX.length(), id.length(), 36);
      return sequence > 0 ? sequence : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String newPrefix() {
    byte[] bytes = new byte[9];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes) + "-";
  }
}
