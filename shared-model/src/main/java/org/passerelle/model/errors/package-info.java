/**
 * Errors across the gateway (RFC 7247 §7): the stanza error conditions of RFC 6120 §8.3.3 with
 * their recommended types ({@link org.passerelle.model.errors.StanzaCondition}), the table from
 * XMPP conditions to SIP status codes ({@link org.passerelle.model.errors.XmppToSipErrors}, RFC
 * 7247 §7.1), the table from SIP status codes to XMPP conditions ({@link
 * org.passerelle.model.errors.SipToXmppErrors}, RFC 7247 §7.2) and the SIP reason phrases that
 * travel as the XMPP {@code <text/>} and back ({@link
 * org.passerelle.model.errors.SipReasonPhrases}, RFC 3261 §21).
 */
package org.passerelle.model.errors;
