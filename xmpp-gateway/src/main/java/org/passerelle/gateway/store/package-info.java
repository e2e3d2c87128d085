/**
 * The persistent store of presence subscriptions and authorisations, so that a restarted gateway
 * asks nobody to authorise again and can re-establish every subscription.
 *
 * <p>What is stored, and why:
 *
 * <ul>
 *   <li>{@link org.passerelle.gateway.store.Authorization}: the long-lived XMPP "subscription", a
 *       presence authorisation between a local SIP user and a remote XMPP contact in one {@link
 *       org.passerelle.gateway.store.Direction} (RFC 8048 §1). Losing it would make the gateway ask
 *       people again for a permission they gave once.
 *   <li>{@link org.passerelle.gateway.store.SipDialog}: the short-lived SIP "subscription", the
 *       notification dialog that carries an authorisation on the SIP side (RFC 6665, RFC 3856). For
 *       an XMPP contact watching a SIP user the gateway is the subscriber and must refresh it
 *       before it expires (RFC 8048 §5.2.2); for a SIP user watching an XMPP contact the gateway is
 *       the notifier and keeps sending NOTIFYs in it (RFC 8048 §5.3). The dialog state of RFC 3261
 *       §12 is kept as plain strings: this package imports no JAIN-SIP type.
 *   <li>{@link org.passerelle.gateway.store.LastPresence}: the last presence of an XMPP contact, so
 *       that a refresh or a poll from a SIP watcher can be answered after a restart (RFC 8048
 *       §5.3.2, §7.2).
 * </ul>
 *
 * <p>The database is the source of truth: nothing is cached per subscription, and everything that
 * may be large is read in pages ({@link
 * org.passerelle.gateway.store.SubscriptionStore#authorizationsAfter}, {@link
 * org.passerelle.gateway.store.SubscriptionStore#dialogsExpiringBefore}), so heap use does not grow
 * with the number of subscriptions.
 *
 * <p>Threading: every operation of {@link org.passerelle.gateway.store.SubscriptionStore} returns a
 * {@link java.util.concurrent.CompletionStage} and runs its JDBC on the store's own bounded pool of
 * threads, never on the caller's (a Netty event loop must not block on a database). Stages complete
 * on a store thread: continue with {@code thenAcceptAsync(..., eventLoop)} to get back to a loop.
 *
 * <p>The database is SQLite in a file under the gateway's data directory by default, or PostgreSQL
 * for a pool of gateways; the same SQL serves both ({@code docs/decisions/0006}). The schema is
 * versioned by {@link org.passerelle.gateway.store.SchemaMigrations}.
 */
package org.passerelle.gateway.store;
