package org.passerelle.gateway.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The last presence known of a remote XMPP contact, kept so that a SIP watcher's refresh or poll
 * can be answered after a restart without waiting for a probe (RFC 8048 §5.3.2, §7.2).
 *
 * @param contactJid the contact's bare JID
 * @param pidf the presence as the PIDF document (RFC 3863) the gateway sends in NOTIFYs
 * @param updated when the contact's presence was received; an older one never replaces a newer one
 */
public record LastPresence(String contactJid, String pidf, Instant updated) {

  public LastPresence {
    StoredValues.bareJid("contactJid", contactJid);
    StoredValues.text("pidf", pidf, StoredValues.MAX_PRESENCE_CHARS);
    updated = updated.truncatedTo(ChronoUnit.MILLIS);
  }
}
