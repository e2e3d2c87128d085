package org.passerelle.gateway.store;

import java.util.Objects;

/**
 * What identifies a presence authorisation: the local SIP user, the remote XMPP contact (both bare
 * JIDs as the caller normalised them; the store compares them octet for octet) and who watches
 * whom.
 *
 * @param localJid the local SIP user, e.g. {@code alice@sip.example.com} (RFC 7247: the SIP address
 *     of record is also the JID)
 * @param remoteJid the remote XMPP contact, e.g. {@code bob@xmpp.example.net}
 * @param direction who watches whom
 */
public record AuthorizationKey(String localJid, String remoteJid, Direction direction) {

  public AuthorizationKey {
    StoredValues.bareJid("localJid", localJid);
    StoredValues.bareJid("remoteJid", remoteJid);
    Objects.requireNonNull(direction, "direction");
  }

  @Override
  public String toString() {
    return localJid + " " + direction + " " + remoteJid;
  }
}
