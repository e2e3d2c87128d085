/**
 * Where to connect for a remote XMPP domain: DNS SRV discovery for server-to-server streams.
 *
 * <ul>
 *   <li>RFC 6120 §3.2: {@code _xmpp-server._tcp} SRV lookup (§3.2.1), the A/AAAA fallback on port
 *       5269 when no SRV record exists (§3.2.2) and static overrides (§3.2.3).
 *   <li>RFC 2782: the order in which SRV targets are tried (priority, then weighted random
 *       selection) and the meaning of the target {@code .}.
 *   <li>XEP-0368: {@code _xmpps-server._tcp} records for direct TLS, merged with the STARTTLS
 *       records by priority and weight.
 * </ul>
 *
 * <p>{@link org.passerelle.proxy.dns.SrvResolver} is the entry point; it is asynchronous and safe
 * to call from Netty event loops. {@link org.passerelle.proxy.dns.RetryingResolver} goes in front
 * of it: it retries when DNS does not answer and remembers failures for a short time, so that a
 * dead domain costs one lookup, not one per stanza. dnsjava types stay inside this package.
 */
package org.passerelle.proxy.dns;
