package org.passerelle.gateway.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.passerelle.gateway.link.LinkSettings;
import org.passerelle.gateway.presence.ShowMapping;
import org.passerelle.gateway.sip.AddressRange;
import org.passerelle.gateway.sip.RequestRate;
import org.passerelle.gateway.sip.SipServerAddress;
import org.passerelle.gateway.sip.SipSettings;
import org.passerelle.gateway.sip.SipTlsSettings;
import org.passerelle.gateway.sip.TrustedSources;
import org.passerelle.gateway.store.StoreSettings;
import org.passerelle.gateway.subscriptions.PresenceSettings;
import org.passerelle.model.config.AdminSettings;
import org.passerelle.model.config.ConfigException;
import org.passerelle.model.config.ConfigReader;
import org.passerelle.model.config.Environment;
import org.passerelle.model.config.IoSettings;
import org.passerelle.model.lifecycle.ShutdownSettings;

/** Reads the gateway's YAML configuration file into a validated {@link GatewayConfig}. */
public final class GatewayConfigLoader {
  private GatewayConfigLoader() {}

  public static GatewayConfig load(Path file) {
    return load(file, Environment.system());
  }

  /** Reads {@code file}, taking {@code {env: NAME}} values from {@code environment}. */
  public static GatewayConfig load(Path file, Environment environment) {
    return read(ConfigReader.load(file, environment));
  }

  public static GatewayConfig parse(String yaml, Path baseDir) {
    return parse(yaml, baseDir, Environment.system());
  }

  /** Parses {@code yaml}, taking {@code {env: NAME}} values from {@code environment}. */
  public static GatewayConfig parse(String yaml, Path baseDir, Environment environment) {
    return read(ConfigReader.parse(yaml, baseDir, "configuration", environment));
  }

  private static GatewayConfig read(ConfigReader root) {
    Set<String> domains = new LinkedHashSet<>();
    for (String domain : root.strings("domains")) {
      domains.add(domain.trim().toLowerCase(Locale.ROOT));
    }
    if (domains.isEmpty()) {
      throw root.error("domains", "must list the organisation's domain(s)");
    }
    Path dataDir = root.path("data-dir", Path.of("data").toAbsolutePath());
    try {
      GatewayConfig.Link link = link(root.section("link"));
      ConfigReader sipSection = root.section("sip");
      SipSettings sip = sip(sipSection, domains);
      ConfigReader imSection = root.section("im");
      if (imSection.has("sip-queue")) {
        throw imSection.error(
            "sip-queue",
            "was removed: the gateway no longer queues messages for SIP sender threads, it writes"
                + " them at once (decision 16); im.sip-in-flight bounds what waits for SIP");
      }
      GatewayConfig.Im im =
          new GatewayConfig.Im(
              imSection.integer(
                  "max-body-bytes",
                  SipSettings.DEFAULT_MAX_BODY_BYTES,
                  1,
                  SipSettings.MAX_MAX_BODY_BYTES),
              imSection.integer(
                  "conversations", GatewayConfig.Im.DEFAULT_CONVERSATIONS, 1, 10_000_000),
              imSection.integer(
                  "sip-in-flight",
                  GatewayConfig.Im.DEFAULT_SIP_IN_FLIGHT,
                  2,
                  GatewayConfig.Im.MAX_SIP_IN_FLIGHT));
      StoreSettings store = StoreSettings.read(root.section("store"), dataDir);
      PresenceSettings presence = presence(root.section("presence"));
      Optional<AdminSettings> admin = AdminSettings.read(root, AdminSettings.DEFAULT_GATEWAY_PORT);
      ShutdownSettings shutdown = ShutdownSettings.read(root.section("shutdown"));
      IoSettings io = IoSettings.read(root.section("io"));
      root.finish();
      if (sip.trustedSources().isEmpty()) {
        // Checked last, so that a misspelt outbound-proxy is reported as such first.
        throw sipSection.error(
            "trusted-sources",
            "must list the SIP server's addresses (IPs or prefixes such as 10.0.0.0/24) when"
                + " sip.outbound-proxy is not an IP address: only those may send for local users");
      }
      return new GatewayConfig(
          domains, link, sip, im, dataDir, store, presence, admin, shutdown, io);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  /**
   * {@code sip.trusted-sources}, or else the outbound proxy when it is an IP address: the server we
   * send through is the one that sends to us. Empty when neither says.
   */
  private static Optional<TrustedSources> trustedSources(
      ConfigReader sip, Set<String> domains, Optional<SipServerAddress> outboundProxy) {
    List<AddressRange> ranges = new ArrayList<>();
    for (String entry : sip.strings("trusted-sources")) {
      try {
        ranges.add(AddressRange.parse(entry));
      } catch (IllegalArgumentException e) {
        throw sip.error("trusted-sources", e.getMessage());
      }
    }
    if (ranges.isEmpty() && outboundProxy.isPresent()) {
      try {
        ranges.add(AddressRange.parse(outboundProxy.get().host()));
      } catch (IllegalArgumentException notAnAddress) {
        return Optional.empty();
      }
    }
    return ranges.isEmpty() ? Optional.empty() : Optional.of(new TrustedSources(domains, ranges));
  }

  private static GatewayConfig.Link link(ConfigReader link) {
    InetSocketAddress server =
        link.socketAddress(
            "server",
            InetSocketAddress.createUnresolved("127.0.0.1", LinkSettings.DEFAULT_PORT),
            LinkSettings.DEFAULT_PORT);
    return new GatewayConfig.Link(
        new InetSocketAddress(server.getHostString(), server.getPort()),
        link.requiredString("secret"),
        link.bool("tls", true),
        link.existingFile("certificate"),
        link.existingFile("key"),
        link.existingFiles("trust"),
        link.bool("acknowledgements", true),
        link.duration("hold", GatewayConfig.Link.DEFAULT_HOLD),
        link.integer("pending-limit", GatewayConfig.Link.DEFAULT_PENDING_LIMIT, 1, 10_000_000));
  }

  private static PresenceSettings presence(ConfigReader presence) {
    Duration lifetime =
        presence.duration("subscription-lifetime", PresenceSettings.DEFAULT_LIFETIME);
    if (lifetime.compareTo(PresenceSettings.MIN_LIFETIME) < 0
        || lifetime.compareTo(PresenceSettings.MAX_LIFETIME) > 0) {
      throw presence.error("subscription-lifetime", "must be from 1m to 24h, got " + lifetime);
    }
    int restoreRate =
        presence.integer("restore-rate", PresenceSettings.DEFAULT_RESTORE_RATE, 1, 1_000_000);
    int queueLimit =
        presence.integer("queue-limit", PresenceSettings.DEFAULT_QUEUE_LIMIT, 1, 10_000_000);
    Map<String, String> overrides = presence.map("show-mapping", ConfigReader.Entry::text);
    ShowMapping mapping;
    try {
      mapping = ShowMapping.defaults().withOverrides(overrides);
    } catch (ConfigException e) {
      throw presence.error("show-mapping", e.getMessage());
    }
    return new PresenceSettings(lifetime, restoreRate, queueLimit, mapping);
  }

  private static SipSettings sip(ConfigReader sip, Set<String> domains) {
    String bind = sip.string("bind", "0.0.0.0");
    SipSettings.Builder builder;
    try {
      builder = SipSettings.builder(InetAddress.getByName(bind));
    } catch (UnknownHostException e) {
      throw sip.error("bind", "'" + bind + "' is not an address");
    }
    if (sip.has("udp")) {
      builder.udp(sip.integer("udp", 5060, 1, 65535));
    }
    if (sip.has("tcp")) {
      builder.tcp(sip.integer("tcp", 5060, 1, 65535));
    }
    if (sip.has("tls")) {
      ConfigReader tls = sip.section("tls");
      builder.tls(
          tls.integer("port", 5061, 1, 65535),
          SipTlsSettings.pem(
              tls.existingFile("certificate"), tls.existingFile("key"), tls.existingFile("trust")));
    }
    Optional<SipServerAddress> outboundProxy =
        sip.optionalString("outbound-proxy").map(SipServerAddress::parse);
    outboundProxy.ifPresent(builder::outboundProxy);
    trustedSources(sip, domains, outboundProxy).ifPresent(builder::trustedSources);
    builder.requestRate(
        new RequestRate(
            sip.integer("request-rate", RequestRate.DEFAULT.perSecond(), 1, 1_000_000),
            sip.integer("request-burst", RequestRate.DEFAULT.burst(), 1, 10_000_000)));
    // Requests arrive for the remote XMPP users' domains, whatever they are; who may send is
    // checked by the translation (RFC 8048 §8.1), not by the SIP endpoint.
    builder.domains(SipSettings.ANY_DOMAIN);
    builder.t1(sip.duration("t1", SipSettings.DEFAULT_T1));
    builder.maxBodyBytes(
        sip.integer(
            "max-body-bytes",
            SipSettings.DEFAULT_MAX_BODY_BYTES,
            1,
            SipSettings.MAX_MAX_BODY_BYTES));
    builder.logUserContent(sip.bool("log-user-content", false));
    try {
      return builder.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ConfigException("sip: " + e.getMessage(), e);
    }
  }
}
