package org.passerelle.proxy.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.passerelle.model.config.AdminSettings;
import org.passerelle.model.config.ConfigException;
import org.passerelle.model.config.ConfigReader;
import org.passerelle.model.config.ConfigValues;
import org.passerelle.model.config.Environment;
import org.passerelle.model.config.IoSettings;
import org.passerelle.model.lifecycle.ShutdownSettings;
import org.passerelle.proxy.dialback.DialbackSecret;
import org.passerelle.proxy.dns.ResolutionRetry;
import org.passerelle.proxy.limits.InboundLimits;
import org.passerelle.proxy.policy.FederationPolicy;
import org.passerelle.proxy.policy.PolicyLoader;
import org.passerelle.stream.StreamLimits;

/** Reads the proxy's YAML configuration file into a validated {@link ProxyConfig}. */
public final class ProxyConfigLoader {
  private ProxyConfigLoader() {}

  public static ProxyConfig load(Path file) {
    return load(file, Environment.system());
  }

  /** Reads {@code file}, taking {@code {env: NAME}} values from {@code environment}. */
  public static ProxyConfig load(Path file, Environment environment) {
    return read(ConfigReader.load(file, environment));
  }

  public static ProxyConfig parse(String yaml, Path baseDir) {
    return parse(yaml, baseDir, Environment.system());
  }

  /** Parses {@code yaml}, taking {@code {env: NAME}} values from {@code environment}. */
  public static ProxyConfig parse(String yaml, Path baseDir, Environment environment) {
    return read(ConfigReader.parse(yaml, baseDir, "configuration", environment));
  }

  private static ProxyConfig read(ConfigReader root) {
    Set<String> domains = new LinkedHashSet<>();
    for (String domain : root.strings("domains")) {
      domains.add(domain(root, "domains", domain));
    }
    if (domains.isEmpty()) {
      throw root.error("domains", "must list at least one domain this proxy serves");
    }
    InetSocketAddress listen =
        resolved(
            root,
            "listen",
            root.socketAddress(
                "listen",
                InetSocketAddress.createUnresolved("0.0.0.0", ProxyConfig.DEFAULT_S2S_PORT),
                ProxyConfig.DEFAULT_S2S_PORT));
    Path dataDir = root.path("data-dir", Path.of("data").toAbsolutePath());

    ConfigReader tlsSection = root.section("tls");
    ProxyConfig.Tls tls;
    try {
      tls =
          new ProxyConfig.Tls(
              tlsSection.existingFile("certificate"),
              tlsSection.existingFile("key"),
              tlsSection.existingFile("pkcs12"),
              tlsSection.string("pkcs12-password", null),
              tlsSection.existingFiles("trust"),
              tlsSection.bool("required", true),
              tlsSection.duration("expiry-warning", ProxyConfig.Tls.DEFAULT_EXPIRY_WARNING));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }

    ConfigReader dialbackSection = root.section("dialback");
    Optional<String> dialbackSecret = dialbackSection.optionalString("secret");
    if (dialbackSecret.isPresent()
        && dialbackSecret.get().strip().length() < DialbackSecret.MIN_LENGTH) {
      throw dialbackSection.error(
          "secret",
          "must be at least "
              + DialbackSecret.MIN_LENGTH
              + " characters (or left out: a secret is then generated in data-dir)");
    }
    ProxyConfig.Dialback dialback =
        new ProxyConfig.Dialback(dialbackSection.bool("enabled", true), dialbackSecret);

    Map<String, InetSocketAddress> routes = new LinkedHashMap<>();
    root.map("static-routes", entry -> entry)
        .forEach(
            (domain, entry) ->
                routes.put(
                    domain(root, "static-routes", domain),
                    resolved(
                        root,
                        "static-routes." + domain,
                        entry.socketAddress(ProxyConfig.DEFAULT_S2S_PORT))));

    ConfigReader limitsSection = root.section("limits");
    ConfigReader timeoutsSection = root.section("timeouts");
    StreamLimits limits =
        new StreamLimits(
            limitsSection.integer(
                "max-stanza-bytes",
                StreamLimits.DEFAULT_MAX_STANZA_BYTES,
                StreamLimits.RFC_MINIMUM_STANZA_BYTES,
                16 * 1024 * 1024),
            limitsSection.integer("max-depth", StreamLimits.DEFAULT_MAX_DEPTH, 2, 1000),
            timeoutsSection.duration("stanza", StreamLimits.DEFAULT_STANZA_TIMEOUT));
    int queue =
        limitsSection.integer(
            "outbound-queue", ProxyConfig.DEFAULT_OUTBOUND_QUEUE_LIMIT, 1, 10_000_000);
    InboundLimits inbound = inboundLimits(limitsSection);
    ResolutionRetry dns = dns(root.section("dns"));

    ProxyConfig.Timeouts defaults = ProxyConfig.Timeouts.DEFAULTS;
    ProxyConfig.Timeouts timeouts =
        new ProxyConfig.Timeouts(
            timeoutsSection.duration("connect", defaults.connect()),
            timeoutsSection.duration("establish", defaults.establish()),
            timeoutsSection.duration("idle", defaults.idle()),
            timeoutsSection.duration("keepalive", defaults.keepalive()));

    Optional<ProxyConfig.Link> link = Optional.empty();
    if (root.has("link")) {
      ConfigReader linkSection = root.section("link");
      try {
        link =
            Optional.of(
                new ProxyConfig.Link(
                    resolved(
                        linkSection,
                        "listen",
                        linkSection.socketAddress(
                            "listen",
                            InetSocketAddress.createUnresolved(
                                "0.0.0.0", ProxyConfig.Link.DEFAULT_PORT),
                            ProxyConfig.Link.DEFAULT_PORT)),
                    linkSection.requiredString("secret"),
                    linkSection.existingFiles("trust"),
                    linkSection.duration("hold", ProxyConfig.Link.DEFAULT_HOLD),
                    linkSection.integer(
                        "hold-limit", ProxyConfig.Link.DEFAULT_HOLD_LIMIT, 1, 10_000_000),
                    linkSection.integer(
                        "window",
                        ProxyConfig.Link.DEFAULT_WINDOW,
                        1,
                        ProxyConfig.Link.MAX_WINDOW)));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(e.getMessage());
      }
    }

    if (!dialback.enabled() && !tls.required()) {
      throw new ConfigException(
          "dialback.enabled is false and tls.required is false: no peer could authenticate");
    }
    FederationPolicy federation =
        PolicyLoader.read(
            root.section("federation"),
            ProxyConfig.partnerDefaults(tls.required(), dialback.enabled()));
    Optional<AdminSettings> admin = AdminSettings.read(root, AdminSettings.DEFAULT_PROXY_PORT);
    ShutdownSettings shutdown = ShutdownSettings.read(root.section("shutdown"));
    IoSettings io = IoSettings.read(root.section("io"));

    root.finish();
    try {
      return new ProxyConfig(
          domains,
          listen,
          tls,
          dialback,
          routes,
          limits,
          timeouts,
          queue,
          dataDir,
          link,
          federation,
          inbound,
          dns,
          admin,
          shutdown,
          io);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  private static InboundLimits inboundLimits(ConfigReader limits) {
    int connections =
        limits.integer("connections", InboundLimits.DEFAULT_CONNECTIONS, 1, 1_000_000);
    int perAddress =
        limits.integer(
            "connections-per-address",
            Math.min(InboundLimits.DEFAULT_CONNECTIONS_PER_ADDRESS, connections),
            1,
            1_000_000);
    if (perAddress > connections) {
      throw limits.error(
          "connections-per-address",
          "must not exceed limits.connections (" + connections + "), was " + perAddress);
    }
    return new InboundLimits(
        connections,
        perAddress,
        limits.integer(
            "connections-per-domain", InboundLimits.DEFAULT_CONNECTIONS_PER_DOMAIN, 1, 1_000_000),
        limits.integer("stanza-rate", InboundLimits.DEFAULT_STANZA_RATE, 1, 1_000_000),
        limits.integer("stanza-burst", InboundLimits.DEFAULT_STANZA_BURST, 1, 10_000_000));
  }

  private static ResolutionRetry dns(ConfigReader dns) {
    Duration negativeTtl = dns.duration("negative-ttl", ResolutionRetry.DEFAULT_NEGATIVE_TTL);
    if (negativeTtl.compareTo(ResolutionRetry.MAX_NEGATIVE_TTL) > 0) {
      throw dns.error("negative-ttl", "must be at most 1h, was " + negativeTtl.toSeconds() + "s");
    }
    Duration backoff = dns.duration("retry-backoff", ResolutionRetry.DEFAULT_BACKOFF);
    if (backoff.compareTo(ResolutionRetry.MAX_BACKOFF) > 0) {
      throw dns.error("retry-backoff", "must be at most 1m, was " + backoff.toSeconds() + "s");
    }
    return new ResolutionRetry(
        negativeTtl,
        dns.integer("retries", ResolutionRetry.DEFAULT_RETRIES, 0, ResolutionRetry.MAX_RETRIES),
        backoff);
  }

  private static String domain(ConfigReader reader, String key, String value) {
    return ConfigValues.domain(reader, key, value);
  }

  private static InetSocketAddress resolved(
      ConfigReader reader, String key, InetSocketAddress address) {
    return ConfigValues.resolved(reader, key, address);
  }
}
