/**
 * Presence documents between XMPP and SIP: {@code <presence/>} stanzas ⇄ PIDF bodies of SIP NOTIFY
 * and PUBLISH requests, the syntax mapping of RFC 8048 §6 (which obsoletes RFC 7248).
 *
 * <ul>
 *   <li>RFC 8048 §6.2 Table 1 (XMPP to SIP) and §6.3 Table 2 (SIP to XMPP): {@link
 *       org.passerelle.gateway.presence.PidfWriter} and {@link
 *       org.passerelle.gateway.presence.PidfReader}; the stanza side is {@link
 *       org.passerelle.gateway.presence.PresenceStanzas}. Both meet in the immutable {@link
 *       org.passerelle.gateway.presence.PresenceState}.
 *   <li>RFC 3863: the PIDF document — {@code <presence entity>}, {@code <tuple id>}, {@code
 *       <status><basic>}, {@code <contact priority>}, {@code <note xml:lang>}, and {@code
 *       mustUnderstand} (§4.2.3).
 *   <li>RFC 4480 (RPID) in the RFC 4479 data model: neither RFC 8048 nor RFC 7248 maps {@code
 *       <show/>} to RPID; the gateway's own convention lives in {@link
 *       org.passerelle.gateway.presence.ShowMapping}, a table operators can override, so SIP
 *       clients that only read RPID still see away and busy, and RPID-only phones are understood.
 * </ul>
 *
 * <p>Subscriptions (RFC 8048 §5) and probes (§7) are not here: this package only translates
 * documents, with no state, no JAIN-SIP type and no I/O. Status texts are user content: no class
 * here logs them, and {@code toString()} shows only their length.
 */
package org.passerelle.gateway.presence;
