package org.passerelle.proxy.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.passerelle.model.config.AdminSettings;
import org.passerelle.model.config.IoSettings;
import org.passerelle.model.config.Redaction;
import org.passerelle.model.lifecycle.ShutdownSettings;
import org.passerelle.proxy.dns.ResolutionRetry;
import org.passerelle.proxy.limits.InboundLimits;
import org.passerelle.proxy.policy.FederationPolicy;
import org.passerelle.proxy.policy.PartnerPolicy;
import org.passerelle.stream.StreamLimits;

/**
 * The proxy's configuration, validated and read-only. Built by {@link ProxyConfigLoader} from a
 * YAML file, or directly by tests.
 *
 * @param domains the XMPP domains this proxy serves (the organisation's domains)
 * @param listen where S2S connections are accepted (RFC 6120 §3.2: port 5269)
 * @param tls our certificate, whom we trust, and whether TLS is mandatory on every stream
 * @param dialback whether server dialback (XEP-0220) may authenticate peers, and its secret
 * @param staticRoutes remote domains reached at a fixed address instead of through DNS (§3.2.3)
 * @param limits stream limits applied to every peer: stanza size, nesting, and the time a stanza
 *     may take to arrive ({@code timeouts.stanza} in the file)
 * @param timeouts connection and stream timers
 * @param outboundQueueLimit stanzas held per remote domain while its stream is being set up
 * @param dataDir where state that must survive a restart is kept (e.g. the dialback secret)
 * @param link the link gateways attach to; empty means no gateway (stanzas for our domains are
 *     answered with {@code service-unavailable})
 * @param federation which remote domains may federate and how; reloaded without a restart
 * @param inbound connections and stanza rates allowed to remote servers, whatever the policy
 * @param dns how failed resolutions of remote domains are retried and remembered
 * @param admin the admin HTTP endpoint (metrics, health, status page); empty means off
 * @param shutdown how long a stopping proxy lets queued stanzas go out before it bounces them
 * @param io how the event loops wake (decision 20)
 */
public record ProxyConfig(
    Set<String> domains,
    InetSocketAddress listen,
    Tls tls,
    Dialback dialback,
    Map<String, InetSocketAddress> staticRoutes,
    StreamLimits limits,
    Timeouts timeouts,
    int outboundQueueLimit,
    Path dataDir,
    Optional<Link> link,
    FederationPolicy federation,
    InboundLimits inbound,
    ResolutionRetry dns,
    Optional<AdminSettings> admin,
    ShutdownSettings shutdown,
    IoSettings io) {

  /** RFC 6120 §3.2: the well-known port for server-to-server streams. */
  public static final int DEFAULT_S2S_PORT = 5269;

  public static final int DEFAULT_OUTBOUND_QUEUE_LIMIT = 10_000;

  public ProxyConfig {
    domains = Set.copyOf(domains);
    if (domains.isEmpty()) {
      throw new IllegalArgumentException("domains: at least one local domain is required");
    }
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(dialback, "dialback");
    staticRoutes = Map.copyOf(staticRoutes);
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(timeouts, "timeouts");
    if (outboundQueueLimit < 1) {
      throw new IllegalArgumentException("outbound-queue-limit must be positive");
    }
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(link, "link");
    if (!dialback.enabled() && !tls.required()) {
      // Without TLS there is no certificate, so nothing could authenticate a peer.
      throw new IllegalArgumentException(
          "dialback.enabled is false and tls.required is false: no peer could authenticate");
    }
    Objects.requireNonNull(federation, "federation");
    checkFederation(domains, staticRoutes, federation);
    Objects.requireNonNull(inbound, "inbound");
    Objects.requireNonNull(dns, "dns");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(shutdown, "shutdown");
    Objects.requireNonNull(io, "io");
  }

  /** Without the admin endpoint, with the default shutdown settings. */
  public ProxyConfig(
      Set<String> domains,
      InetSocketAddress listen,
      Tls tls,
      Dialback dialback,
      Map<String, InetSocketAddress> staticRoutes,
      StreamLimits limits,
      Timeouts timeouts,
      int outboundQueueLimit,
      Path dataDir,
      Optional<Link> link,
      FederationPolicy federation,
      InboundLimits inbound,
      ResolutionRetry dns) {
    this(
        domains,
        listen,
        tls,
        dialback,
        staticRoutes,
        limits,
        timeouts,
        outboundQueueLimit,
        dataDir,
        link,
        federation,
        inbound,
        dns,
        Optional.empty(),
        ShutdownSettings.DEFAULTS,
        IoSettings.DEFAULTS);
  }

  /** With the default inbound limits and DNS retries, without the admin endpoint. */
  public ProxyConfig(
      Set<String> domains,
      InetSocketAddress listen,
      Tls tls,
      Dialback dialback,
      Map<String, InetSocketAddress> staticRoutes,
      StreamLimits limits,
      Timeouts timeouts,
      int outboundQueueLimit,
      Path dataDir,
      Optional<Link> link,
      FederationPolicy federation,
      ShutdownSettings shutdown) {
    this(
        domains,
        listen,
        tls,
        dialback,
        staticRoutes,
        limits,
        timeouts,
        outboundQueueLimit,
        dataDir,
        link,
        federation,
        InboundLimits.DEFAULTS,
        ResolutionRetry.DEFAULTS,
        Optional.empty(),
        shutdown,
        IoSettings.DEFAULTS);
  }

  /**
   * With the default inbound limits, DNS retries and shutdown settings, without the admin endpoint.
   */
  public ProxyConfig(
      Set<String> domains,
      InetSocketAddress listen,
      Tls tls,
      Dialback dialback,
      Map<String, InetSocketAddress> staticRoutes,
      StreamLimits limits,
      Timeouts timeouts,
      int outboundQueueLimit,
      Path dataDir,
      Optional<Link> link,
      FederationPolicy federation) {
    this(
        domains,
        listen,
        tls,
        dialback,
        staticRoutes,
        limits,
        timeouts,
        outboundQueueLimit,
        dataDir,
        link,
        federation,
        InboundLimits.DEFAULTS,
        ResolutionRetry.DEFAULTS,
        Optional.empty(),
        ShutdownSettings.DEFAULTS,
        IoSettings.DEFAULTS);
  }

  /**
   * The federation defaults that follow {@code tls.required} and {@code dialback.enabled}: a
   * partner that does not set {@code tls} or {@code dialback} itself gets these.
   */
  public static PartnerPolicy partnerDefaults(boolean tlsRequired, boolean dialbackEnabled) {
    return PartnerPolicy.builder().tlsRequired(tlsRequired).dialback(dialbackEnabled).build();
  }

  /** The same configuration with another federation policy (what a reload may change). */
  public ProxyConfig withFederation(FederationPolicy next) {
    return new ProxyConfig(
        domains,
        listen,
        tls,
        dialback,
        staticRoutes,
        limits,
        timeouts,
        outboundQueueLimit,
        dataDir,
        link,
        next,
        inbound,
        dns,
        admin,
        shutdown,
        io);
  }

  /** The same configuration with other inbound limits (for tests and tools). */
  public ProxyConfig withInbound(InboundLimits next) {
    return new ProxyConfig(
        domains,
        listen,
        tls,
        dialback,
        staticRoutes,
        limits,
        timeouts,
        outboundQueueLimit,
        dataDir,
        link,
        federation,
        next,
        dns,
        admin,
        shutdown,
        io);
  }

  /** The same configuration with the admin endpoint at {@code value}. */
  public ProxyConfig withAdmin(AdminSettings value) {
    return new ProxyConfig(
        domains,
        listen,
        tls,
        dialback,
        staticRoutes,
        limits,
        timeouts,
        outboundQueueLimit,
        dataDir,
        link,
        federation,
        inbound,
        dns,
        Optional.of(value),
        shutdown,
        io);
  }

  /** The same configuration with other shutdown settings. */
  public ProxyConfig withShutdown(ShutdownSettings value) {
    return new ProxyConfig(
        domains,
        listen,
        tls,
        dialback,
        staticRoutes,
        limits,
        timeouts,
        outboundQueueLimit,
        dataDir,
        link,
        federation,
        inbound,
        dns,
        admin,
        value,
        io);
  }

  /**
   * The keys of {@code next} that differ from this configuration and take effect only after a
   * restart: everything but {@code federation}, and but {@code tls.required} and {@code
   * dialback.enabled}, which are the federation policy's defaults and reload with it.
   */
  public List<String> changesNeedingRestart(ProxyConfig next) {
    List<String> keys = new ArrayList<>();
    if (!domains.equals(next.domains)) {
      keys.add("domains");
    }
    if (!listen.equals(next.listen)) {
      keys.add("listen");
    }
    if (!tls.withRequired(true).equals(next.tls.withRequired(true))) {
      keys.add("tls");
    }
    if (!dialback.secret().equals(next.dialback.secret())) {
      keys.add("dialback.secret");
    }
    if (!staticRoutes.equals(next.staticRoutes)) {
      keys.add("static-routes");
    }
    if (!limits.equals(next.limits)
        || outboundQueueLimit != next.outboundQueueLimit
        || !inbound.equals(next.inbound)) {
      keys.add("limits");
    }
    if (!dns.equals(next.dns)) {
      keys.add("dns");
    }
    if (!timeouts.equals(next.timeouts)) {
      keys.add("timeouts");
    }
    if (!dataDir.equals(next.dataDir)) {
      keys.add("data-dir");
    }
    if (!link.equals(next.link)) {
      keys.add("link");
    }
    if (!admin.equals(next.admin)) {
      keys.add("admin");
    }
    if (!shutdown.equals(next.shutdown)) {
      keys.add("shutdown");
    }
    if (!io.equals(next.io)) {
      keys.add("io");
    }
    return List.copyOf(keys);
  }

  private static void checkFederation(
      Set<String> domains,
      Map<String, InetSocketAddress> staticRoutes,
      FederationPolicy federation) {
    for (PartnerPolicy partner : federation.partners()) {
      for (String domain : partner.domains()) {
        if (domains.contains(domain)) {
          throw new IllegalArgumentException(
              "federation.partners." + partner.name() + ": " + domain + " is one of our domains");
        }
        if (partner.address().isPresent() && staticRoutes.containsKey(domain)) {
          throw new IllegalArgumentException(
              "static-routes."
                  + domain
                  + ": federation.partners."
                  + partner.name()
                  + ".address is set too; keep only the partner's address");
        }
      }
    }
    for (String domain : federation.blocked()) {
      if (domains.contains(domain)) {
        throw new IllegalArgumentException("federation.blocked: " + domain + " is one of ours");
      }
    }
    if (!federation.discovery().enabled()) {
      for (String domain : staticRoutes.keySet()) {
        if (!federation.decide(domain).allowed()) {
          throw new IllegalArgumentException(
              "static-routes."
                  + domain
                  + ": "
                  + domain
                  + " is not a federation partner and discovered federation is off, so this"
                  + " route would never be used; list it under federation.partners (with"
                  + " address:) instead");
        }
      }
    }
  }

  /** The domain used when a peer names none (RFC 3920-era peers may omit 'to'). */
  public String defaultDomain() {
    return domains.stream().sorted().findFirst().orElseThrow();
  }

  /**
   * TLS settings.
   *
   * @param certificate PEM certificate chain, or {@code null} when a PKCS#12 file is used
   * @param key PEM private key (PKCS#8, PKCS#1 or SEC1), or {@code null} with PKCS#12
   * @param pkcs12 a PKCS#12 key store holding key and chain, or {@code null} with PEM
   * @param pkcs12Password the PKCS#12 password, or {@code null}
   * @param trust PEM files of the certificate authorities trusted for peer certificates; empty
   *     means the JDK's default trust store
   * @param required whether streams must be protected by TLS before anything else; the default of
   *     every federation partner, which may set its own
   * @param expiryWarning how long before our certificate or a configured trust anchor expires the
   *     log starts warning about it, at start and daily
   */
  public record Tls(
      Path certificate,
      Path key,
      Path pkcs12,
      String pkcs12Password,
      List<Path> trust,
      boolean required,
      Duration expiryWarning) {
    public static final Duration DEFAULT_EXPIRY_WARNING = Duration.ofDays(30);

    /** With the default expiry warning. */
    public Tls(
        Path certificate,
        Path key,
        Path pkcs12,
        String pkcs12Password,
        List<Path> trust,
        boolean required) {
      this(certificate, key, pkcs12, pkcs12Password, trust, required, DEFAULT_EXPIRY_WARNING);
    }

    public Tls {
      trust = List.copyOf(trust);
      Objects.requireNonNull(expiryWarning, "expiryWarning");
      if (expiryWarning.isNegative() || expiryWarning.isZero()) {
        throw new IllegalArgumentException("tls.expiry-warning must be a positive duration");
      }
      boolean pem = certificate != null || key != null;
      if (pem && pkcs12 != null) {
        throw new IllegalArgumentException(
            "tls: set either certificate and key (PEM) or pkcs12, not both");
      }
      if (pem && (certificate == null || key == null)) {
        throw new IllegalArgumentException("tls: certificate and key must be set together");
      }
      if (!pem && pkcs12 == null) {
        throw new IllegalArgumentException(
            "tls: a certificate is required (certificate and key, or pkcs12)");
      }
    }

    /** The same settings with another {@code required}. */
    public Tls withRequired(boolean value) {
      return new Tls(certificate, key, pkcs12, pkcs12Password, trust, value, expiryWarning);
    }

    /** The password as characters, empty when none is configured. */
    public char[] pkcs12PasswordChars() {
      return pkcs12Password == null ? new char[0] : pkcs12Password.toCharArray();
    }

    /** Without the PKCS#12 password, which must not reach a log. */
    @Override
    public String toString() {
      return "Tls[certificate="
          + certificate
          + ", key="
          + key
          + ", pkcs12="
          + pkcs12
          + ", pkcs12Password="
          + Redaction.mark(pkcs12Password)
          + ", trust="
          + trust
          + ", required="
          + required
          + ", expiryWarning="
          + expiryWarning
          + "]";
    }
  }

  /**
   * Server dialback settings.
   *
   * @param enabled whether peers may authenticate with dialback when SASL EXTERNAL is not possible;
   *     the default of every federation partner, which may set its own
   * @param secret the secret behind dialback keys; empty means generated once and kept in dataDir
   */
  public record Dialback(boolean enabled, Optional<String> secret) {
    public Dialback {
      Objects.requireNonNull(secret, "secret");
    }

    /** Without the secret, which must not reach a log. */
    @Override
    public String toString() {
      return "Dialback[enabled=" + enabled + ", secret=" + Redaction.mark(secret) + "]";
    }
  }

  /**
   * The link gateways dial into (XEP-0114 inside mutually-authenticated TLS).
   *
   * @param listen where gateways connect (default port 23456)
   * @param secret the XEP-0114 shared secret
   * @param trust PEM files of the authorities whose certificates gateways must present
   * @param hold how long stanzas for a domain wait for a gateway before being bounced
   * @param holdLimit how many stanzas may wait per domain
   * @param window how many stanzas one gateway may have been sent and not yet acknowledged; beyond
   *     it, stanzas for that gateway are answered {@code resource-constraint} at once
   */
  public record Link(
      InetSocketAddress listen,
      String secret,
      List<Path> trust,
      Duration hold,
      int holdLimit,
      int window) {
    public static final int DEFAULT_PORT = 23456;
    public static final Duration DEFAULT_HOLD = Duration.ofSeconds(30);
    public static final int DEFAULT_HOLD_LIMIT = 10_000;

    /**
     * About a second of what one gateway translates on a small machine (docs/BENCHMARKS.md): the
     * longest a stanza waits on the link before the gateway takes it.
     */
    public static final int DEFAULT_WINDOW = 2_000;

    public static final int MAX_WINDOW = 1_000_000;

    public Link {
      Objects.requireNonNull(listen, "listen");
      if (secret == null || secret.length() < 16) {
        throw new IllegalArgumentException("link.secret must be at least 16 characters");
      }
      trust = List.copyOf(trust);
      if (trust.isEmpty()) {
        throw new IllegalArgumentException(
            "link.trust must name the CA file(s) that issue gateway certificates");
      }
      Objects.requireNonNull(hold, "hold");
      if (hold.isNegative()) {
        throw new IllegalArgumentException("link.hold must not be negative");
      }
      if (holdLimit < 1) {
        throw new IllegalArgumentException("link.hold-limit must be positive");
      }
      if (window < 1 || window > MAX_WINDOW) {
        throw new IllegalArgumentException("link.window must be 1.." + MAX_WINDOW);
      }
    }

    /** With the default {@link #DEFAULT_WINDOW window}. */
    public Link(
        InetSocketAddress listen, String secret, List<Path> trust, Duration hold, int holdLimit) {
      this(listen, secret, trust, hold, holdLimit, DEFAULT_WINDOW);
    }

    /** Without the secret, which must not reach a log. */
    @Override
    public String toString() {
      return "Link[listen="
          + listen
          + ", secret="
          + Redaction.mark(secret)
          + ", trust="
          + trust
          + ", hold="
          + hold
          + ", holdLimit="
          + holdLimit
          + ", window="
          + window
          + "]";
    }
  }

  /**
   * Timers.
   *
   * @param connect TCP connect timeout per target
   * @param establish time allowed to set up a stream up to authentication (Lync used 60 s)
   * @param idle a stream with no traffic either way for this long is closed (Lync used 600 s)
   * @param keepalive a whitespace keepalive is sent after this long without writing (RFC 6120
   *     §4.6.4 recommends no more often than every 5 minutes)
   */
  public record Timeouts(Duration connect, Duration establish, Duration idle, Duration keepalive) {
    public static final Timeouts DEFAULTS =
        new Timeouts(
            Duration.ofSeconds(10),
            Duration.ofSeconds(60),
            Duration.ofSeconds(600),
            Duration.ofSeconds(300));

    public Timeouts {
      positive("connect", connect);
      positive("establish", establish);
      positive("idle", idle);
      positive("keepalive", keepalive);
    }

    private static void positive(String name, Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("timeouts." + name + " must be a positive duration");
      }
    }
  }
}
