package org.passerelle.gateway.store;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The checks and limits of stored values, each failing with the name of the value. The limits match
 * the column sizes of {@code V1__subscriptions.sql}.
 */
final class StoredValues {

  /**
   * Longest stored bare JID, in UTF-8 octets. RFC 7622 §3.2 and §3.3 allow 1023 octets per part, so
   * a bare JID may reach 2047; we keep 1023 so that a key of two JIDs stays below PostgreSQL's
   * B-tree entry limit (2704 bytes, a third of an 8 KiB page). Real addresses are far shorter.
   */
  static final int MAX_JID_OCTETS = 1023;

  /** Longest Call-ID; RFC 3261 §20.8 sets none, JAIN-SIP and Kamailio make about 40 characters. */
  static final int MAX_CALL_ID_CHARS = 255;

  /** Longest From/To tag; RFC 3261 §19.3 asks for 32 bits of randomness, about 10 characters. */
  static final int MAX_TAG_CHARS = 128;

  /** Longest URI of a dialog (local, remote, remote target). */
  static final int MAX_URI_CHARS = 2048;

  /** Longest route set, all Route values with their separators. */
  static final int MAX_ROUTE_SET_CHARS = 8192;

  /** Longest stored presence document; a PIDF of a few tuples is well under 4 KiB. */
  static final int MAX_PRESENCE_CHARS = 16_384;

  private StoredValues() {}

  /** A bare JID ({@code local@domain} or {@code domain}): no resource, at most 1023 octets. */
  static String bareJid(String name, String jid) {
    Objects.requireNonNull(jid, name);
    if (jid.isBlank()) {
      throw new IllegalArgumentException(name + " is empty");
    }
    if (jid.indexOf('/') >= 0) {
      throw new IllegalArgumentException(name + " must be a bare JID, without resource: " + jid);
    }
    if (jid.getBytes(StandardCharsets.UTF_8).length > MAX_JID_OCTETS) {
      throw new IllegalArgumentException(
          name + " is longer than the store's " + MAX_JID_OCTETS + " octets");
    }
    return jid;
  }

  /** A non-empty text of at most {@code maxChars} characters. */
  static String text(String name, String value, int maxChars) {
    Objects.requireNonNull(value, name);
    if (value.isEmpty()) {
      throw new IllegalArgumentException(name + " is empty");
    }
    return bounded(name, value, maxChars);
  }

  /** A text, possibly empty, of at most {@code maxChars} characters. */
  static String bounded(String name, String value, int maxChars) {
    Objects.requireNonNull(value, name);
    if (value.length() > maxChars) {
      throw new IllegalArgumentException(
          name + " has " + value.length() + " characters, more than the store's " + maxChars);
    }
    return value;
  }

  /** A text without line breaks, which the store uses as separators. */
  static String singleLine(String name, String value) {
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      throw new IllegalArgumentException(name + " contains a line break");
    }
    return value;
  }

  /** A page size: 1 to {@link SubscriptionStore#MAX_PAGE}. */
  static int pageLimit(String name, int limit) {
    if (limit < 1 || limit > SubscriptionStore.MAX_PAGE) {
      throw new IllegalArgumentException(
          name + " must be within [1, " + SubscriptionStore.MAX_PAGE + "]: " + limit);
    }
    return limit;
  }
}
