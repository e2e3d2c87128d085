/**
 * Limits that keep one remote address or domain from taking the proxy away from everyone else, in
 * the spirit of XEP-0205 (Best Practices to Discourage Denial of Service Attacks) and RFC 6120
 * §13.12 ("per-IP connection caps and rate limits"): inbound connections per source address, per
 * remote domain and in all ({@link org.passerelle.proxy.limits.ConnectionGate}), and stanzas per
 * remote domain, as a token bucket ({@link org.passerelle.proxy.limits.StanzaRates}). The values
 * are {@link org.passerelle.proxy.limits.InboundLimits}; why they are what they are is in
 * docs/decisions/0009-hostile-input-and-limits.md.
 */
package org.passerelle.proxy.limits;
