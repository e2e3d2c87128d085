package org.passerelle.proxy.policy;

import java.util.Objects;

/**
 * Discovered federation: whether a domain that is not a partner may federate anyway, once found the
 * standard way (DNS SRV or its A/AAAA fallback, RFC 6120 §3.2) or authenticated on a stream it
 * opened, and the limits that keep that open door narrow.
 *
 * @param enabled whether unlisted domains may federate at all
 * @param settings how discovered domains federate (a template: no domains, no address)
 * @param newDomainsPerMinute how many domains never seen before may start federating per minute
 * @param stanzasPerSecond how many stanzas each discovered domain may send us per second (a burst
 *     of one second's worth is allowed)
 * @param maxDomains how many discovered domains are remembered for the two limits above; the one
 *     seen longest ago is forgotten first
 */
public record Discovery(
    boolean enabled,
    PartnerPolicy settings,
    int newDomainsPerMinute,
    int stanzasPerSecond,
    int maxDomains) {

  public static final int DEFAULT_NEW_DOMAINS_PER_MINUTE = 10;

  /** Lync throttled discovered partners to 20 messages per second. */
  public static final int DEFAULT_STANZAS_PER_SECOND = 20;

  public static final int DEFAULT_MAX_DOMAINS = 1000;

  public Discovery {
    Objects.requireNonNull(settings, "settings");
    if (!settings.domains().isEmpty() || settings.address().isPresent()) {
      throw new IllegalArgumentException("discovered domains have no fixed domains or address");
    }
    if (newDomainsPerMinute < 1 || stanzasPerSecond < 1 || maxDomains < 1) {
      throw new IllegalArgumentException("discovery limits must be at least 1");
    }
  }

  /** Discovered federation off. */
  public static Discovery off(PartnerPolicy settings) {
    return new Discovery(
        false,
        settings,
        DEFAULT_NEW_DOMAINS_PER_MINUTE,
        DEFAULT_STANZAS_PER_SECOND,
        DEFAULT_MAX_DOMAINS);
  }

  /** Discovered federation on, with the default limits. */
  public static Discovery on(PartnerPolicy settings) {
    return new Discovery(
        true,
        settings,
        DEFAULT_NEW_DOMAINS_PER_MINUTE,
        DEFAULT_STANZAS_PER_SECOND,
        DEFAULT_MAX_DOMAINS);
  }
}
