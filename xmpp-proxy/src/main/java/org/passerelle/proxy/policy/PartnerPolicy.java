package org.passerelle.proxy.policy;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How we federate with one partner, or with every domain a template covers (discovered domains, and
 * peers that have not said who they are yet). Invalid combinations are refused here, with a message
 * naming the key relative to the partner's section and saying why.
 *
 * @param domains the partner's domains, the first one naming it (in logs and for its connection
 *     count); empty for a template
 * @param tier how far its users may reach (Lync's federated / public verified / unverified)
 * @param tlsRequired whether every stream with it must be protected by TLS first (RFC 6120 §5)
 * @param saslExternal whether it must, may or must not authenticate with its certificate
 * @param dialback whether server dialback (XEP-0220) may authenticate, in both directions
 * @param address where its servers are reached, instead of DNS (RFC 6120 §3.2.3)
 * @param keepalive whether whitespace keepalives (RFC 6120 §4.6.1) are sent on its streams
 * @param maxConnections how many streams, in both directions together, it may have at once
 */
public record PartnerPolicy(
    List<String> domains,
    TrustTier tier,
    boolean tlsRequired,
    SaslExternal saslExternal,
    boolean dialback,
    Optional<InetSocketAddress> address,
    boolean keepalive,
    int maxConnections) {

  /** Lync's Access Edge allowed 20 connections per federated partner. */
  public static final int DEFAULT_MAX_CONNECTIONS = 20;

  public PartnerPolicy {
    domains = domains.stream().map(domain -> domain.toLowerCase(Locale.ROOT)).toList();
    if (new LinkedHashSet<>(domains).size() != domains.size()) {
      throw new IllegalArgumentException("domains lists a domain twice: " + domains);
    }
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(saslExternal, "saslExternal");
    Objects.requireNonNull(address, "address");
    if (saslExternal == SaslExternal.REQUIRED && !tlsRequired) {
      throw new IllegalArgumentException(
          "sasl-external is required but tls is optional: SASL EXTERNAL needs the peer's"
              + " certificate, which only a TLS stream carries; set tls: required");
    }
    if (saslExternal == SaslExternal.OFF && !dialback) {
      throw new IllegalArgumentException(
          "sasl-external is off and dialback is false: nothing could authenticate this partner;"
              + " allow one of them");
    }
    if (!tlsRequired && !dialback) {
      throw new IllegalArgumentException(
          "tls is optional and dialback is false: a peer that skips TLS could not authenticate"
              + " (SASL EXTERNAL needs TLS); set tls: required or dialback: true");
    }
    if (address.isPresent() && address.get().isUnresolved()) {
      throw new IllegalArgumentException("address " + address.get() + " is not resolved");
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("max-connections must be at least 1");
    }
  }

  /** The domain that names this partner, or {@code null} for a template. */
  public String name() {
    return domains.isEmpty() ? null : domains.get(0);
  }

  /** Whether authentication must rest on a certificate (see {@link SaslExternal#REQUIRED}). */
  public boolean certificateRequired() {
    return saslExternal == SaslExternal.REQUIRED;
  }

  /** Whether SASL EXTERNAL may be offered to it and used with it. */
  public boolean saslExternalAllowed() {
    return saslExternal != SaslExternal.OFF;
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Starts from the defaults: federated, TLS required, SASL EXTERNAL optional, dialback on. */
  public static Builder builder() {
    return new Builder();
  }

  /** Collects the settings of one partner or template. */
  public static final class Builder {
    private final List<String> domains = new ArrayList<>();
    private TrustTier tier = TrustTier.FEDERATED;
    private boolean tlsRequired = true;
    private SaslExternal saslExternal = SaslExternal.OPTIONAL;
    private boolean dialback = true;
    private InetSocketAddress address;
    private boolean keepalive = true;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;

    private Builder() {}

    private Builder(PartnerPolicy from) {
      domains.addAll(from.domains);
      tier = from.tier;
      tlsRequired = from.tlsRequired;
      saslExternal = from.saslExternal;
      dialback = from.dialback;
      address = from.address.orElse(null);
      keepalive = from.keepalive;
      maxConnections = from.maxConnections;
    }

    /** Replaces the domains; the first names the partner. */
    public Builder domains(List<String> names) {
      domains.clear();
      domains.addAll(names);
      return this;
    }

    public Builder domains(String... names) {
      return domains(List.of(names));
    }

    public Builder tier(TrustTier value) {
      tier = value;
      return this;
    }

    public Builder tlsRequired(boolean value) {
      tlsRequired = value;
      return this;
    }

    public Builder saslExternal(SaslExternal value) {
      saslExternal = value;
      return this;
    }

    public Builder dialback(boolean value) {
      dialback = value;
      return this;
    }

    /** A direct address (no DNS); {@code null} for none. */
    public Builder address(InetSocketAddress value) {
      address = value;
      return this;
    }

    public Builder keepalive(boolean value) {
      keepalive = value;
      return this;
    }

    public Builder maxConnections(int value) {
      maxConnections = value;
      return this;
    }

    public PartnerPolicy build() {
      return new PartnerPolicy(
          List.copyOf(domains),
          tier,
          tlsRequired,
          saslExternal,
          dialback,
          Optional.ofNullable(address),
          keepalive,
          maxConnections);
    }
  }
}
