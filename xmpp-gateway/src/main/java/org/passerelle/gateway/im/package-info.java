/**
 * Instant messages between XMPP and SIP in page mode (RFC 7572): {@code <message/>} ⇄ SIP MESSAGE
 * (RFC 3428), addresses per RFC 7247 §6, and failures both ways per RFC 7247 §7.
 */
package org.passerelle.gateway.im;
