package org.passerelle.testpeers;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a test peer serves and how it federates, validated when built. Example:
 *
 * <pre>{@code
 * XmppPeerConfig config =
 *     XmppPeerConfig.builder("p.test", "127.0.0.9")
 *         .security(S2sSecurity.TLS_SASL_EXTERNAL)
 *         .certificate(ca.issue("p.test"))
 *         .trustedCa(ca.certificatePath())
 *         .resolve("passerelle.test", "127.0.0.10")
 *         .build();
 * }</pre>
 */
public final class XmppPeerConfig {

  /**
   * Where the peers send DNS queries: nothing listens there, so a name that is not one of the test
   * domains fails at once and no query leaves loopback.
   */
  static final String DEAD_DNS_SERVER = "127.0.0.39";

  /** Default for {@link Builder#startTimeout(Duration)}. */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(20);

  private final String domain;
  private final InetAddress address;
  private final S2sSecurity security;
  private final IssuedCertificate certificate;
  private final Path trustedCa;
  private final Map<String, InetAddress> hosts;
  private final Duration startTimeout;
  private final Path workDirParent;
  private final Map<String, String> components;
  private final boolean tunedForLoad;

  /** The port external components (XEP-0114) connect to, where a peer hosts any. */
  public static final int COMPONENT_PORT = 5347;

  private XmppPeerConfig(Builder builder) {
    this.domain = builder.domain;
    this.address = builder.address;
    this.security = builder.security;
    this.certificate = builder.certificate;
    this.trustedCa = builder.trustedCa;
    this.hosts = Collections.unmodifiableMap(new LinkedHashMap<>(builder.hosts));
    this.startTimeout = builder.startTimeout;
    this.workDirParent = builder.workDirParent;
    this.components = Collections.unmodifiableMap(new LinkedHashMap<>(builder.components));
    this.tunedForLoad = builder.tunedForLoad;
  }

  /** Whether the peer is set up for load rather than for reading its logs (Prosody only). */
  public boolean tunedForLoad() {
    return tunedForLoad;
  }

  /** External components (XEP-0114) the peer hosts: domain → shared secret. */
  public Map<String, String> components() {
    return components;
  }

  /**
   * Starts a configuration for a peer serving {@code domain} on the loopback {@code address}.
   *
   * @param address an IPv4 literal in 127.0.0.0/8
   */
  public static Builder builder(String domain, String address) {
    return new Builder(domain, ConfigChecks.loopback(address));
  }

  public String domain() {
    return domain;
  }

  public InetAddress address() {
    return address;
  }

  public S2sSecurity security() {
    return security;
  }

  public IssuedCertificate certificate() {
    return certificate;
  }

  /** The CA file the peer trusts for S2S certificates; absent means the system's CAs. */
  public Optional<Path> trustedCa() {
    return Optional.ofNullable(trustedCa);
  }

  /** Other test domains and the loopback address each is reached at (on port 5269). */
  public Map<String, InetAddress> hosts() {
    return hosts;
  }

  public Duration startTimeout() {
    return startTimeout;
  }

  /** Where the peer's working directory is created; must be traversable by the daemon user. */
  public Path workDirParent() {
    return workDirParent;
  }

  @Override
  public String toString() {
    return domain + "@" + address.getHostAddress() + " " + security;
  }

  /** Collects and checks the settings of one peer. */
  public static final class Builder {
    private final String domain;
    private final InetAddress address;
    private S2sSecurity security = S2sSecurity.TLS_DIALBACK;
    private IssuedCertificate certificate;
    private boolean certificateForAnotherDomain;
    private Path trustedCa;
    private final Map<String, InetAddress> hosts = new LinkedHashMap<>();
    private Duration startTimeout = DEFAULT_START_TIMEOUT;
    private Path workDirParent = Path.of(System.getProperty("java.io.tmpdir"));
    private final Map<String, String> components = new LinkedHashMap<>();
    private boolean tunedForLoad;

    private Builder(String domain, InetAddress address) {
      this.domain = ConfigChecks.domainName(domain);
      this.address = address;
    }

    /** Default {@link S2sSecurity#TLS_DIALBACK}. */
    public Builder security(S2sSecurity security) {
      this.security = Objects.requireNonNull(security, "security");
      return this;
    }

    /** The peer's own certificate, from {@link TestCa#issue} or {@link TestCa#selfSigned}. */
    public Builder certificate(IssuedCertificate certificate) {
      this.certificate = Objects.requireNonNull(certificate, "certificate");
      this.certificateForAnotherDomain = false;
      return this;
    }

    /**
     * A certificate issued for another domain than the peer's: the peer presents it anyway, as a
     * misconfigured server does, so that tests can see RFC 6125 identity checks fail.
     */
    public Builder certificateForAnotherDomain(IssuedCertificate certificate) {
      this.certificate = Objects.requireNonNull(certificate, "certificate");
      this.certificateForAnotherDomain = true;
      return this;
    }

    /**
     * The CA certificate file (PEM) to trust; required for {@link S2sSecurity#TLS_SASL_EXTERNAL}.
     */
    public Builder trustedCa(Path caCertificatePem) {
      this.trustedCa = Objects.requireNonNull(caCertificatePem, "caCertificatePem");
      return this;
    }

    /** Makes the peer reach {@code otherDomain} at {@code address}, port 5269. */
    public Builder resolve(String otherDomain, String address) {
      hosts.put(ConfigChecks.domainName(otherDomain), ConfigChecks.loopback(address));
      return this;
    }

    /**
     * Hosts an external component (XEP-0114) for {@code componentDomain}, accepted on {@link
     * #COMPONENT_PORT} of the peer's address with {@code secret}. Prosody only.
     */
    public Builder component(String componentDomain, String secret) {
      components.put(
          ConfigChecks.domainName(componentDomain), Objects.requireNonNull(secret, "secret"));
      return this;
    }

    /**
     * Sets the peer up for load tests instead of debugging: logs at info level (a line per
     * connection) instead of debug (several per stanza), and Prosody's epoll network loop with
     * bigger reads. Prosody only.
     */
    public Builder tunedForLoad() {
      this.tunedForLoad = true;
      return this;
    }

    /** How long {@link XmppPeer#start()} waits for the listeners; default 20 s. */
    public Builder startTimeout(Duration startTimeout) {
      if (startTimeout.isNegative() || startTimeout.isZero()) {
        throw new IllegalArgumentException("startTimeout must be positive: " + startTimeout);
      }
      this.startTimeout = startTimeout;
      return this;
    }

    /** Parent of the peer's fresh working directory; default {@code java.io.tmpdir}. */
    public Builder workDirParent(Path workDirParent) {
      this.workDirParent = Objects.requireNonNull(workDirParent, "workDirParent");
      return this;
    }

    public XmppPeerConfig build() {
      if (certificate == null) {
        throw new IllegalStateException(domain + ": a certificate is required, S2S uses STARTTLS");
      }
      if (certificateForAnotherDomain == certificate.domain().equals(domain)) {
        throw new IllegalStateException(
            domain
                + ": the certificate is for "
                + certificate.domain()
                + (certificateForAnotherDomain
                    ? ", the peer's own domain"
                    : ", not for " + domain));
      }
      if (security == S2sSecurity.TLS_SASL_EXTERNAL && trustedCa == null) {
        throw new IllegalStateException(domain + ": TLS_SASL_EXTERNAL needs a trusted CA");
      }
      if (hosts.containsKey(domain)) {
        throw new IllegalStateException(domain + ": resolve() is for other domains only");
      }
      return new XmppPeerConfig(this);
    }
  }
}
