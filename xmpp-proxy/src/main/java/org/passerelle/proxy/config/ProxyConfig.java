package org.passerelle.proxy.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.passerelle.proxy.dns.ResolutionRetry;
import org.passerelle.proxy.limits.InboundLimits;
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
 * @param inbound connections and stanza rates allowed to remote servers
 * @param dns how failed resolutions of remote domains are retried and remembered
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
    InboundLimits inbound,
    ResolutionRetry dns) {

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
    Objects.requireNonNull(inbound, "inbound");
    Objects.requireNonNull(dns, "dns");
    if (!dialback.enabled() && !tls.required()) {
      // Without TLS there is no certificate, so nothing could authenticate a peer.
      throw new IllegalArgumentException(
          "dialback.enabled is false and tls.required is false: no peer could authenticate");
    }
  }

  /** With the default inbound limits and DNS retries. */
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
      Optional<Link> link) {
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
        InboundLimits.DEFAULTS,
        ResolutionRetry.DEFAULTS);
  }

  /** The same configuration with other inbound limits (for tests and tools). */
  public ProxyConfig withInbound(InboundLimits limits) {
    return new ProxyConfig(
        domains,
        listen,
        tls,
        dialback,
        staticRoutes,
        this.limits,
        timeouts,
        outboundQueueLimit,
        dataDir,
        link,
        limits,
        dns);
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
   * @param required whether every stream must be protected by TLS before anything else
   */
  public record Tls(
      Path certificate,
      Path key,
      Path pkcs12,
      String pkcs12Password,
      List<Path> trust,
      boolean required) {
    public Tls {
      trust = List.copyOf(trust);
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

    /** The password as characters, empty when none is configured. */
    public char[] pkcs12PasswordChars() {
      return pkcs12Password == null ? new char[0] : pkcs12Password.toCharArray();
    }
  }

  /**
   * Server dialback settings.
   *
   * @param enabled whether peers may authenticate with dialback when SASL EXTERNAL is not possible
   * @param secret the secret behind dialback keys; empty means generated once and kept in dataDir
   */
  public record Dialback(boolean enabled, Optional<String> secret) {
    public Dialback {
      Objects.requireNonNull(secret, "secret");
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
   */
  public record Link(
      InetSocketAddress listen, String secret, List<Path> trust, Duration hold, int holdLimit) {
    public static final int DEFAULT_PORT = 23456;
    public static final Duration DEFAULT_HOLD = Duration.ofSeconds(30);
    public static final int DEFAULT_HOLD_LIMIT = 10_000;

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
