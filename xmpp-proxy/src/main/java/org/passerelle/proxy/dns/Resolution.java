package org.passerelle.proxy.dns;

import java.util.List;
import java.util.Objects;

/**
 * A successful resolution: the ordered connect targets and how they were found (for a {@code
 * diagnose} command and debug logs).
 *
 * @param domain the normalized domain
 * @param method how the targets were found
 * @param lookups the DNS questions asked and their answers
 * @param targets the addresses to try, in order; never empty
 */
public record Resolution(
    String domain, Method method, Lookups lookups, List<ConnectTarget> targets) {

  /** How the targets were found. */
  public enum Method {
    /** A configured route for the domain, DNS not consulted for SRV (RFC 6120 §3.2.3). */
    STATIC_ROUTE,
    /** The domain is an IP address; no DNS at all. */
    IP_LITERAL,
    /** SRV records of {@code _xmpps-server} and/or {@code _xmpp-server} (§3.2.1, XEP-0368). */
    SRV,
    /** No SRV record: A/AAAA of the domain itself on port 5269 (§3.2.2). */
    DOMAIN_ADDRESS
  }

  public Resolution {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(lookups, "lookups");
    targets = List.copyOf(targets);
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("a resolution has at least one target");
    }
  }
}
