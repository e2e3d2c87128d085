/**
 * The gateway's SIP endpoint: a small adapter around JAIN-SIP (the NIST reference implementation)
 * that sends and receives SIP requests in our own types.
 *
 * <ul>
 *   <li>RFC 3261: transactions, transports and the rules the endpoint applies itself — a request
 *       larger than 1300 bytes goes over a congestion-controlled transport (§18.1.1), 405 with
 *       {@code Allow} for known methods nobody handles and 501 for unknown ones (§8.2.1), 404 for
 *       domains we do not serve (§21.4.5), 415 with {@code Accept} (§21.4.13), 200 to OPTIONS
 *       (§11.2).
 *   <li>RFC 3428: MESSAGE outside a dialog — no {@code Contact} in the request or in a 2xx, no body
 *       in a 2xx (§4, §7).
 *   <li>RFC 3263: where to send a request — a minimal resolver (explicit address and port, else
 *       SRV, else A; no NAPTR), see {@code SipServerLocator}.
 * </ul>
 *
 * <p>{@link org.passerelle.gateway.sip.SipEndpoint} is the entry point. No JAIN-SIP type appears in
 * the public API of this package: requests and responses cross the boundary as {@link
 * org.passerelle.gateway.sip.OutgoingMessage}, {@link org.passerelle.gateway.sip.IncomingMessage}
 * and {@link org.passerelle.gateway.sip.SipResponseInfo}, built from the objects JAIN-SIP has
 * already parsed. Message bodies and subjects are never logged unless {@link
 * org.passerelle.gateway.sip.SipSettings#logUserContent()} is on.
 */
package org.passerelle.gateway.sip;
