/**
 * The gateway's SIP endpoint: a small adapter around JAIN-SIP (the NIST reference implementation)
 * that sends and receives SIP requests in our own types.
 *
 * <ul>
 *   <li>RFC 3261: transactions, transports and the rules the endpoint applies itself — a request
 *       larger than 1300 bytes goes over a congestion-controlled transport (§18.1.1), 405 with
 *       {@code Allow} for known methods nobody handles and 501 for unknown ones (§8.2.1), 404 for
 *       domains we do not serve (§21.4.5), 415 with {@code Accept} (§21.4.13), 200 to OPTIONS
 *       (§11.2); dialogs (§12) for subscriptions.
 *   <li>RFC 3428: MESSAGE outside a dialog — no {@code Contact} in the request or in a 2xx, no body
 *       in a 2xx (§4, §7).
 *   <li>RFC 6665 with the presence package of RFC 3856: SUBSCRIBE and NOTIFY in both roles. As
 *       subscriber ({@link org.passerelle.gateway.sip.SubscriptionClient}): NOTIFY matched by
 *       Call-ID, tag and event (§4.4.1), also before the 2xx; 481 for the others; Timer N; a 202
 *       counts as 200; dialogs that can be persisted and resumed ({@link
 *       org.passerelle.gateway.sip.DialogState}). As notifier ({@link
 *       org.passerelle.gateway.sip.SubscriptionHandler}, {@link
 *       org.passerelle.gateway.sip.SubscriptionNotifier}): 489 for other packages, 406 without
 *       PIDF, 200 (never 202) with Expires at most the one asked for, the immediate NOTIFY, NOTIFYs
 *       along the Record-Route in order, {@code terminated;reason=timeout} at expiry; dialogs that
 *       can be persisted and resumed too. The state machines are {@code SubscriberState} and {@code
 *       NotifierState}.
 *   <li>RFC 3263: where to send a request — a minimal resolver (explicit address and port, else
 *       SRV, else A; no NAPTR), see {@code SipServerLocator}.
 * </ul>
 *
 * <p>{@link org.passerelle.gateway.sip.SipEndpoint} is the entry point. No JAIN-SIP type appears in
 * the public API of this package: requests and responses cross the boundary as records such as
 * {@link org.passerelle.gateway.sip.OutgoingMessage}, {@link
 * org.passerelle.gateway.sip.IncomingMessage}, {@link org.passerelle.gateway.sip.Notification} and
 * {@link org.passerelle.gateway.sip.SipResponseInfo}, built from the objects JAIN-SIP has already
 * parsed, or, for a MESSAGE on the gateway's own listener, from its bytes ({@code RawMessage},
 * decision 21). Message bodies, subjects and presence documents are never logged unless {@link
 * org.passerelle.gateway.sip.SipSettings#logUserContent()} is on.
 *
 * <p>How we use JAIN-SIP 1.3 (each point is relied on somewhere in this package):
 *
 * <ul>
 *   <li>Its classic blocking transports with our sockets ({@code JainSipPlugins.SocketLayer}): its
 *       NIO TCP transport loses responses.
 *   <li>{@code AUTOMATIC_DIALOG_SUPPORT} is off and we never ask it for a {@code Dialog}: a
 *       subscription dialog is ours ({@code EventDialog}), so that it can be persisted and
 *       re-created after a restart, and requests inside it are built by {@code EventRequests}. With
 *       the support off JAIN-SIP hands every NOTIFY and every in-dialog SUBSCRIBE to us, even
 *       unmatched ones, and matching (RFC 6665 §4.4.1) and 481 are ours.
 *   <li>A new request reaches the listener without a server transaction; {@code InboundRequests}
 *       asks for one. JAIN-SIP refuses one to a SUBSCRIBE without Contact: that is answered
 *       statelessly (400).
 *   <li>Every next hop comes from our router ({@code JainSipPlugins.NextHopRouter}); JAIN-SIP does
 *       not act on Route headers, so the first Route (loose or strict, RFC 3261 §12.2.1.1) is
 *       resolved by us like any other next hop.
 *   <li>{@code createResponse} copies Record-Route only into 1xx–2xx answers to a dialog-creating
 *       request without To tag: exactly the 2xx to an initial SUBSCRIBE (RFC 3261 §12.1.1).
 *   <li>Absent {@code expires} and {@code retry-after} of Subscription-State read as -1.
 * </ul>
 */
package org.passerelle.gateway.sip;
