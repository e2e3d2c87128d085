/**
 * Presence subscriptions across the gateway, the flows of RFC 8048 §5 and §7: who watches whom,
 * what each side is told, and what survives a restart.
 *
 * <p>Two directions, one class each, both confined to one thread ({@link
 * org.passerelle.gateway.subscriptions.PresenceLoop}):
 *
 * <ul>
 *   <li>{@link org.passerelle.gateway.subscriptions.XmppWatchers}: a remote XMPP contact watches a
 *       local SIP user (RFC 8048 §5.2). The gateway is the SIP subscriber; it SUBSCRIBEs, refreshes
 *       before expiry and turns each NOTIFY into {@code <presence/>}.
 *   <li>{@link org.passerelle.gateway.subscriptions.SipWatchers}: a local SIP user watches a remote
 *       XMPP contact (RFC 8048 §5.3). The gateway is the SIP notifier; it asks the contact with
 *       {@code <presence type='subscribe'/>} and turns each {@code <presence/>} into a NOTIFY.
 * </ul>
 *
 * <p>Authorisations and dialogs are written to the {@link
 * org.passerelle.gateway.store.SubscriptionStore} as they change; after a restart {@link
 * org.passerelle.gateway.subscriptions.PresenceBridge#restore()} resumes every stored dialog,
 * paced, so nobody is asked to authorise again.
 */
package org.passerelle.gateway.subscriptions;
