/**
 * Federation policy: which remote domains may federate with us and how (after the federation
 * settings of Lync Server's Access Edge): an allow-list of partners, a block-list that always wins,
 * and optional discovered federation (any domain found the standard way, RFC 6120 §3.2) with its
 * own rate limits. Per partner: TLS (RFC 6120 §5), SASL EXTERNAL (XEP-0178), server dialback
 * (XEP-0220), a direct address (RFC 6120 §3.2.3), keepalives (§4.6), a connection limit, extra
 * domains, and a trust tier.
 *
 * <p>{@link org.passerelle.proxy.policy.FederationPolicy} is an immutable snapshot built once per
 * (re)load; {@link org.passerelle.proxy.policy.FederationGate} holds the one in force and the state
 * that policy needs at run time (connections per partner, discovered domains, the contact ledger).
 * Refusals carry the stream error (RFC 6120 §4.9.3) and stanza error (§8.3.3) that answer them.
 */
package org.passerelle.proxy.policy;
