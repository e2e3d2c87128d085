package org.passerelle.proxy.policy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One version of the federation policy, immutable: built at start and at each reload, then read by
 * every stream without locks. A decision costs a few hash lookups.
 *
 * <p>Order of the rules: the block-list wins over everything; then a listed partner (by any of its
 * domains); then discovered federation if it is on; otherwise the domain is refused.
 */
public final class FederationPolicy {
  /** How often the configuration file is checked for a new policy. */
  public static final Duration DEFAULT_RELOAD_CHECK = Duration.ofSeconds(5);

  private static final String WILDCARD = "*.";

  private final PartnerPolicy defaults;
  private final List<PartnerPolicy> partners;
  private final Map<String, PartnerPolicy> byDomain;
  private final Set<String> blocked;
  private final Set<String> blockedExact;
  private final Set<String> blockedParents;
  private final Discovery discovery;
  private final ContactLimits contacts;
  private final Duration reloadCheck;

  private FederationPolicy(Builder builder) {
    this.defaults = builder.defaults;
    this.partners = List.copyOf(builder.partners);
    Map<String, PartnerPolicy> index = new HashMap<>();
    for (PartnerPolicy partner : partners) {
      if (partner.domains().isEmpty()) {
        throw new IllegalArgumentException("federation.partners: a partner needs a domain");
      }
      for (String domain : partner.domains()) {
        PartnerPolicy other = index.putIfAbsent(domain, partner);
        if (other != null) {
          throw new IllegalArgumentException(
              "federation.partners: "
                  + domain
                  + " is listed under both "
                  + other.name()
                  + " and "
                  + partner.name());
        }
      }
    }
    this.byDomain = Map.copyOf(index);
    this.blocked = Set.copyOf(builder.blocked);
    Set<String> exact = new HashSet<>();
    Set<String> parents = new HashSet<>();
    for (String entry : blocked) {
      if (entry.startsWith(WILDCARD)) {
        parents.add(entry.substring(WILDCARD.length()));
      } else {
        exact.add(entry);
      }
    }
    this.blockedExact = Set.copyOf(exact);
    this.blockedParents = Set.copyOf(parents);
    this.discovery = builder.discovery;
    this.contacts = builder.contacts;
    this.reloadCheck = builder.reloadCheck;
  }

  /**
   * Starts a policy whose templates (for discovered domains and for peers that have not named
   * themselves yet) are {@code defaults}; no partners, nothing blocked, discovery off.
   */
  public static Builder builder(PartnerPolicy defaults) {
    return new Builder(defaults);
  }

  /** Whether {@code domain} may federate, and with which settings. */
  public PolicyDecision decide(String domain) {
    Objects.requireNonNull(domain, "domain");
    if (isBlocked(domain)) {
      return PolicyDecision.refuse(
          domain, PolicyDecision.Reason.BLOCKED, domain + " is blocked (federation.blocked)");
    }
    PartnerPolicy partner = byDomain.get(domain);
    if (partner != null) {
      return PolicyDecision.allow(domain, PolicyDecision.Reason.PARTNER, partner);
    }
    if (discovery.enabled()) {
      return PolicyDecision.allow(domain, PolicyDecision.Reason.DISCOVERED, discovery.settings());
    }
    return PolicyDecision.refuse(
        domain,
        PolicyDecision.Reason.NOT_A_PARTNER,
        domain
            + " is not a federation partner and discovered federation is off"
            + " (federation.partners, federation.discovered.enabled)");
  }

  /**
   * The settings for negotiating with {@code domain}: its own if it may federate, else the defaults
   * (a refused domain is turned away before they matter); the defaults for {@code null}, a peer
   * that has not said who it is.
   */
  public PartnerPolicy settingsFor(String domain) {
    if (domain == null) {
      return defaults;
    }
    PolicyDecision decision = decide(domain);
    return decision.allowed() ? decision.partner() : defaults;
  }

  /** The configured direct address of the partner serving {@code domain}, if any. */
  public Optional<InetSocketAddress> addressOf(String domain) {
    PartnerPolicy partner = byDomain.get(domain);
    return partner == null || isBlocked(domain) ? Optional.empty() : partner.address();
  }

  /** Whether {@code domain} is blocked, by name or by a {@code *.parent} entry. */
  public boolean isBlocked(String domain) {
    if (blockedExact.contains(domain)) {
      return true;
    }
    for (int dot = domain.indexOf('.'); dot >= 0; dot = domain.indexOf('.', dot + 1)) {
      if (blockedParents.contains(domain.substring(dot + 1))) {
        return true;
      }
    }
    return false;
  }

  public PartnerPolicy defaults() {
    return defaults;
  }

  public List<PartnerPolicy> partners() {
    return partners;
  }

  /** The block-list as configured, wildcards included. */
  public Set<String> blocked() {
    return blocked;
  }

  public Discovery discovery() {
    return discovery;
  }

  public ContactLimits contacts() {
    return contacts;
  }

  public Duration reloadCheck() {
    return reloadCheck;
  }

  /** A one-line summary for the log. */
  public String summary() {
    return partners.size()
        + " partner(s) "
        + partners.stream().map(PartnerPolicy::name).toList()
        + ", "
        + blocked.size()
        + " blocked, discovered federation "
        + (discovery.enabled()
            ? "on (tier " + discovery.settings().tier().configName() + ")"
            : "off");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FederationPolicy that
        && defaults.equals(that.defaults)
        && partners.equals(that.partners)
        && blocked.equals(that.blocked)
        && discovery.equals(that.discovery)
        && contacts.equals(that.contacts)
        && reloadCheck.equals(that.reloadCheck);
  }

  @Override
  public int hashCode() {
    return Objects.hash(defaults, partners, blocked, discovery, contacts, reloadCheck);
  }

  @Override
  public String toString() {
    return "FederationPolicy[" + summary() + "]";
  }

  /** Collects a policy; {@link #build()} checks it as a whole. */
  public static final class Builder {
    private final PartnerPolicy defaults;
    private final List<PartnerPolicy> partners = new ArrayList<>();
    private final Set<String> blocked = new LinkedHashSet<>();
    private Discovery discovery;
    private ContactLimits contacts = ContactLimits.DEFAULTS;
    private Duration reloadCheck = DEFAULT_RELOAD_CHECK;

    private Builder(PartnerPolicy defaults) {
      this.defaults = Objects.requireNonNull(defaults, "defaults");
      if (!defaults.domains().isEmpty() || defaults.address().isPresent()) {
        throw new IllegalArgumentException("the defaults have no fixed domains or address");
      }
      this.discovery =
          Discovery.off(defaults.toBuilder().tier(TrustTier.PUBLIC_UNVERIFIED).build());
    }

    public Builder partner(PartnerPolicy partner) {
      partners.add(Objects.requireNonNull(partner, "partner"));
      return this;
    }

    /** A partner per domain, each with the defaults' settings. */
    public Builder partners(String... domains) {
      for (String domain : domains) {
        partner(defaults.toBuilder().domains(domain).build());
      }
      return this;
    }

    /** Blocks a domain, or every subdomain of {@code parent} with {@code *.parent}. */
    public Builder block(String domain) {
      String entry = domain.trim().toLowerCase(Locale.ROOT);
      String name = entry.startsWith(WILDCARD) ? entry.substring(WILDCARD.length()) : entry;
      if (name.isEmpty() || name.contains("*") || name.startsWith(".") || name.endsWith(".")) {
        throw new IllegalArgumentException(
            "federation.blocked: '" + domain + "' is neither a domain nor *.domain");
      }
      blocked.add(entry);
      return this;
    }

    public Builder discovery(Discovery value) {
      discovery = Objects.requireNonNull(value, "discovery");
      return this;
    }

    public Builder contacts(ContactLimits value) {
      contacts = Objects.requireNonNull(value, "contacts");
      return this;
    }

    public Builder reloadCheck(Duration value) {
      Objects.requireNonNull(value, "reloadCheck");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("federation.reload-check must be positive");
      }
      reloadCheck = value;
      return this;
    }

    public FederationPolicy build() {
      return new FederationPolicy(this);
    }
  }
}
