package org.passerelle.model;

import java.util.Locale;

/**
 * Cheap reads of the parts of a JID string (RFC 7622 §3.1) for routing, without stringprep: a full
 * Tinder {@code JID} parse costs ~150 µs uncached, far more than routing a stanza needs.
 */
public final class Jids {
  private Jids() {}

  /**
   * The domainpart of a JID, lower-cased, or {@code null} if the string has none. The resource may
   * contain '@' and '/', so the domain ends at the first '/' and starts after the last '@' before
   * it.
   */
  public static String domainOf(String jid) {
    if (jid == null || jid.isEmpty()) {
      return null;
    }
    int slash = jid.indexOf('/');
    int end = slash < 0 ? jid.length() : slash;
    int at = jid.lastIndexOf('@', end - 1);
    String domain = jid.substring(at + 1, end);
    if (domain.endsWith(".")) {
      // RFC 7622 §3.2: a trailing dot is not part of the domainpart.
      domain = domain.substring(0, domain.length() - 1);
    }
    return domain.isEmpty() ? null : domain.toLowerCase(Locale.ROOT);
  }

  /**
   * The resourcepart of a JID, or {@code null} if it has none: everything after the first '/' (RFC
   * 7622 §3.1), '/' and '@' included.
   */
  public static String resourceOf(String jid) {
    if (jid == null) {
      return null;
    }
    int slash = jid.indexOf('/');
    return slash < 0 || slash == jid.length() - 1 ? null : jid.substring(slash + 1);
  }

  /**
   * The bare JID (localpart and domainpart) of a JID, the domain lower-cased as {@link #domainOf}
   * does, or {@code null} if the string has no domainpart. The localpart is kept as it is: the XMPP
   * server that sent the JID has already prepared it.
   */
  public static String bareOf(String jid) {
    String domain = domainOf(jid);
    if (domain == null) {
      return null;
    }
    int slash = jid.indexOf('/');
    int end = slash < 0 ? jid.length() : slash;
    int at = jid.lastIndexOf('@', end - 1);
    return at < 0 ? domain : jid.substring(0, at + 1) + domain;
  }
}
