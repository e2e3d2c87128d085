package org.passerelle.proxy.policy;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.passerelle.model.config.ConfigException;
import org.passerelle.model.config.ConfigReader;
import org.passerelle.model.config.ConfigValues;

/**
 * Reads the {@code federation:} section of the proxy's configuration into a {@link
 * FederationPolicy}. Every key has a default (see {@code examples/proxy.yml}); an invalid value or
 * combination is refused with a message that names the key and says why.
 */
public final class PolicyLoader {
  /** RFC 6120 §3.2: the port of server-to-server streams when an address names none. */
  private static final int S2S_PORT = 5269;

  private static final int MAX_CONNECTIONS_LIMIT = 1000;

  private PolicyLoader() {}

  /**
   * Reads the section.
   *
   * @param federation the {@code federation} section (empty if absent)
   * @param defaults the settings of a partner that sets nothing itself: TLS and dialback from the
   *     {@code tls.required} and {@code dialback.enabled} keys
   */
  public static FederationPolicy read(ConfigReader federation, PartnerPolicy defaults) {
    FederationPolicy.Builder builder =
        FederationPolicy.builder(defaults)
            .reloadCheck(
                federation.duration("reload-check", FederationPolicy.DEFAULT_RELOAD_CHECK));
    for (String entry : federation.strings("blocked")) {
      String name = entry.trim().startsWith("*.") ? entry.trim().substring(2) : entry;
      ConfigValues.domain(federation, "blocked", name);
      try {
        builder.block(entry);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(e.getMessage());
      }
    }
    federation
        .map("partners", entry -> entry)
        .forEach(
            (name, entry) -> builder.partner(partner(federation, name, entry.section(), defaults)));
    builder.discovery(discovery(federation.section("discovered"), defaults));
    ConfigReader contacts = federation.section("contacts");
    try {
      builder.contacts(
          new ContactLimits(
              contacts.integer("max-pairs", ContactLimits.DEFAULTS.maxPairs(), 1, 100_000_000),
              contacts.duration("expiry", ContactLimits.DEFAULTS.expiry())));
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  private static PartnerPolicy partner(
      ConfigReader federation, String name, ConfigReader section, PartnerPolicy defaults) {
    String domain = ConfigValues.domain(federation, "partners", name);
    String key = "federation.partners." + domain;
    List<String> domains = new ArrayList<>(List.of(domain));
    for (String extra : section.strings("domains")) {
      domains.add(ConfigValues.domain(section, "domains", extra));
    }
    PartnerPolicy.Builder builder =
        settings(section, defaults, TrustTier.FEDERATED).domains(domains);
    InetSocketAddress address = section.socketAddress("address", null, S2S_PORT);
    if (address != null) {
      builder.address(ConfigValues.resolved(section, "address", address));
    }
    return build(builder, key);
  }

  private static Discovery discovery(ConfigReader section, PartnerPolicy defaults) {
    boolean enabled = section.bool("enabled", false);
    PartnerPolicy settings =
        build(settings(section, defaults, TrustTier.PUBLIC_UNVERIFIED), "federation.discovered");
    try {
      return new Discovery(
          enabled,
          settings,
          section.integer(
              "new-domains-per-minute", Discovery.DEFAULT_NEW_DOMAINS_PER_MINUTE, 1, 100_000),
          section.integer("stanzas-per-second", Discovery.DEFAULT_STANZAS_PER_SECOND, 1, 100_000),
          section.integer("max-domains", Discovery.DEFAULT_MAX_DOMAINS, 1, 1_000_000));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("federation.discovered: " + e.getMessage());
    }
  }

  /** The keys a partner and discovered domains share; what is not set comes from {@code base}. */
  private static PartnerPolicy.Builder settings(
      ConfigReader section, PartnerPolicy base, TrustTier defaultTier) {
    return base.toBuilder()
        .tier(
            choice(
                section,
                "tier",
                TrustTier::fromConfigName,
                defaultTier,
                "federated, public-verified or public-unverified"))
        .tlsRequired(
            choice(
                    section,
                    "tls",
                    PolicyLoader::tlsChoice,
                    base.tlsRequired() ? "required" : "optional",
                    "required or optional")
                .equals("required"))
        .saslExternal(
            choice(
                section,
                "sasl-external",
                PolicyLoader::saslChoice,
                base.saslExternal(),
                "required, optional or off"))
        .dialback(section.bool("dialback", base.dialback()))
        .keepalive(section.bool("keepalive", base.keepalive()))
        .maxConnections(
            section.integer("max-connections", base.maxConnections(), 1, MAX_CONNECTIONS_LIMIT));
  }

  private static Optional<String> tlsChoice(String value) {
    return value.equals("required") || value.equals("optional")
        ? Optional.of(value)
        : Optional.empty();
  }

  /** YAML 1.1 reads a bare {@code off} as the boolean false, so "false" means off too. */
  private static Optional<SaslExternal> saslChoice(String value) {
    return SaslExternal.fromConfigName(value.equals("false") ? "off" : value);
  }

  private static <T> T choice(
      ConfigReader section,
      String key,
      Function<String, Optional<T>> parse,
      T defaultValue,
      String expected) {
    String text = section.string(key, null);
    if (text == null) {
      return defaultValue;
    }
    return parse
        .apply(text.trim())
        .orElseThrow(() -> section.error(key, "must be " + expected + ", was '" + text + "'"));
  }

  private static PartnerPolicy build(PartnerPolicy.Builder builder, String key) {
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key + "." + e.getMessage());
    }
  }
}
