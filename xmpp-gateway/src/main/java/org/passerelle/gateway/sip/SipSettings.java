package org.passerelle.gateway.sip;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Read-only settings of a {@link SipEndpoint}, checked when built. Start from {@link
 * #builder(InetAddress)}.
 */
public final class SipSettings {

  /** RFC 3261 §17.1.1.1: the RTT estimate T1, 500 ms by default. */
  public static final Duration DEFAULT_T1 = Duration.ofMillis(500);

  /**
   * Below this, retransmissions over UDP would flood the network; above, nothing would ever end.
   */
  public static final Duration MIN_T1 = Duration.ofMillis(10);

  public static final Duration MAX_T1 = Duration.ofSeconds(10);

  /**
   * A transaction that has no final response after 64 × T1 has timed out (RFC 3261 §17.1.2.2, Timer
   * F: 32 s with the default T1).
   */
  public static final int TIMER_F_FACTOR = 64;

  public static final Duration DEFAULT_DNS_TIMEOUT = Duration.ofSeconds(5);

  public static final Duration MAX_DNS_TIMEOUT = Duration.ofMinutes(1);

  /**
   * Large enough for any XMPP message that servers must accept (10,000 bytes, RFC 6120 §13.12),
   * small enough that a MESSAGE stays a message: bigger content belongs to MSRP (RFC 4975).
   */
  public static final int DEFAULT_MAX_BODY_BYTES = 16 * 1024;

  public static final int MAX_MAX_BODY_BYTES = 1024 * 1024;

  /** In {@link #domains()}: requests for any domain are accepted. */
  public static final String ANY_DOMAIN = "*";

  private static final Pattern DOMAIN =
      Pattern.compile(
          "(?i)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*");

  private final InetAddress bindAddress;
  private final Map<SipTransport, Integer> ports;
  private final Optional<SipTlsSettings> tls;
  private final Optional<SipServerAddress> outboundProxy;
  private final Set<String> domains;
  private final Duration t1;
  private final Duration dnsTimeout;
  private final int maxBodyBytes;
  private final boolean logUserContent;
  private final Optional<TrustedSources> trustedSources;
  private final RequestRate requestRate;

  private SipSettings(Builder b) {
    this.bindAddress = b.bindAddress;
    this.ports = Collections.unmodifiableMap(new EnumMap<>(b.ports));
    this.tls = Optional.ofNullable(b.tls);
    this.outboundProxy = Optional.ofNullable(b.outboundProxy);
    this.domains = Collections.unmodifiableSet(new LinkedHashSet<>(b.domains));
    this.t1 = b.t1;
    this.dnsTimeout = b.dnsTimeout;
    this.maxBodyBytes = b.maxBodyBytes;
    this.logUserContent = b.logUserContent;
    this.trustedSources = Optional.ofNullable(b.trustedSources);
    this.requestRate = b.requestRate;
  }

  /**
   * @param bindAddress the local address to listen on and to write in Via headers; a specific
   *     address, not the wildcard
   */
  public static Builder builder(InetAddress bindAddress) {
    return new Builder(bindAddress);
  }

  public InetAddress bindAddress() {
    return bindAddress;
  }

  /** The port of each enabled transport; at least one. */
  public Map<SipTransport, Integer> ports() {
    return ports;
  }

  /** Present exactly when TLS is enabled. */
  public Optional<SipTlsSettings> tls() {
    return tls;
  }

  /**
   * The organisation's SIP server: when present, every request is sent there as next hop, whatever
   * its Request-URI, and without a Route header (COMPAT: Kamailio's default configuration refuses
   * preloaded Route headers with 403).
   */
  public Optional<SipServerAddress> outboundProxy() {
    return outboundProxy;
  }

  /**
   * The domains whose Request-URIs we accept, lower case; {@link #ANY_DOMAIN} accepts every domain.
   * Requests for other hosts (besides our own address) are answered 404 (RFC 3261 §21.4.5).
   */
  public Set<String> domains() {
    return domains;
  }

  /** The round-trip estimate T1 (RFC 3261 §17.1.1.1) that paces UDP retransmissions. */
  public Duration t1() {
    return t1;
  }

  /** How long a request may wait for its final response: Timer F, 64 × T1. */
  public Duration transactionTimeout() {
    return t1.multipliedBy(TIMER_F_FACTOR);
  }

  /** The longest wait for DNS when locating a server (RFC 3263). */
  public Duration dnsTimeout() {
    return dnsTimeout;
  }

  /** The largest MESSAGE body we send or accept, in bytes. */
  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  /**
   * Whether message content may reach the logs: JAIN-SIP's own debug output (which prints whole
   * messages, bodies included) and its message trace. Off by default.
   */
  public boolean logUserContent() {
    return logUserContent;
  }

  /**
   * The SIP server's addresses and the organisation's domains: requests whose {@code From} is a
   * local user are answered 403 unless they come from one of those addresses. Absent only for an
   * endpoint that serves no organisation (tests, tools); the gateway's configuration always sets
   * it.
   */
  public Optional<TrustedSources> trustedSources() {
    return trustedSources;
  }

  /** How many requests a source other than a trusted one may send; beyond it, 503. */
  public RequestRate requestRate() {
    return requestRate;
  }

  /** Whether a Request-URI host is one of {@link #domains()}. */
  public boolean servesDomain(String host) {
    return domains.contains(ANY_DOMAIN) || domains.contains(host.toLowerCase(Locale.ROOT));
  }

  @Override
  public String toString() {
    return "SipSettings[bind "
        + bindAddress.getHostAddress()
        + ", ports "
        + ports
        + tls.map(t -> ", " + t).orElse("")
        + outboundProxy.map(p -> ", outbound proxy " + p).orElse("")
        + ", domains "
        + domains
        + ", T1 "
        + t1.toMillis()
        + " ms, max body "
        + maxBodyBytes
        + trustedSources
            .map(t -> ", trusting " + t.addresses() + " for " + t.localDomains())
            .orElse("")
        + ", "
        + requestRate.perSecond()
        + " requests/s from others"
        + (logUserContent ? ", logging user content" : "")
        + "]";
  }

  /** Collects and checks settings; {@link #build()} may be called more than once. */
  public static final class Builder {
    private final InetAddress bindAddress;
    private final Map<SipTransport, Integer> ports = new EnumMap<>(SipTransport.class);
    private SipTlsSettings tls;
    private SipServerAddress outboundProxy;
    private final Set<String> domains = new LinkedHashSet<>();
    private Duration t1 = DEFAULT_T1;
    private Duration dnsTimeout = DEFAULT_DNS_TIMEOUT;
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private boolean logUserContent;
    private TrustedSources trustedSources;
    private RequestRate requestRate = RequestRate.DEFAULT;

    private Builder(InetAddress bindAddress) {
      Objects.requireNonNull(bindAddress, "bindAddress");
      if (bindAddress.isAnyLocalAddress()) {
        throw new IllegalArgumentException(
            "bind to a specific address: it is also written into Via headers");
      }
      this.bindAddress = bindAddress;
    }

    public Builder udp(int port) {
      ports.put(SipTransport.UDP, checkPort(port));
      return this;
    }

    public Builder tcp(int port) {
      ports.put(SipTransport.TCP, checkPort(port));
      return this;
    }

    public Builder tls(int port, SipTlsSettings tlsSettings) {
      ports.put(SipTransport.TLS, checkPort(port));
      this.tls = Objects.requireNonNull(tlsSettings, "tlsSettings");
      return this;
    }

    /** See {@link SipSettings#outboundProxy()}. */
    public Builder outboundProxy(SipServerAddress proxy) {
      this.outboundProxy = Objects.requireNonNull(proxy, "proxy");
      return this;
    }

    /** Adds domains; see {@link SipSettings#domains()}. */
    public Builder domains(Collection<String> names) {
      for (String name : names) {
        Objects.requireNonNull(name, "domain");
        if (!name.equals(ANY_DOMAIN) && (name.length() > 253 || !DOMAIN.matcher(name).matches())) {
          throw new IllegalArgumentException("not a domain name: " + name);
        }
        domains.add(name.toLowerCase(Locale.ROOT));
      }
      return this;
    }

    public Builder domains(String... names) {
      return domains(java.util.List.of(names));
    }

    public Builder t1(Duration value) {
      Objects.requireNonNull(value, "t1");
      if (value.compareTo(MIN_T1) < 0 || value.compareTo(MAX_T1) > 0) {
        throw new IllegalArgumentException(
            "t1 must be in [" + MIN_T1.toMillis() + ", " + MAX_T1.toMillis() + "] ms: " + value);
      }
      this.t1 = value;
      return this;
    }

    public Builder dnsTimeout(Duration value) {
      Objects.requireNonNull(value, "dnsTimeout");
      if (value.isNegative() || value.isZero() || value.compareTo(MAX_DNS_TIMEOUT) > 0) {
        throw new IllegalArgumentException(
            "dnsTimeout must be in (0, " + MAX_DNS_TIMEOUT + "]: " + value);
      }
      this.dnsTimeout = value;
      return this;
    }

    public Builder maxBodyBytes(int value) {
      if (value < 1 || value > MAX_MAX_BODY_BYTES) {
        throw new IllegalArgumentException(
            "maxBodyBytes must be in [1, " + MAX_MAX_BODY_BYTES + "]: " + value);
      }
      this.maxBodyBytes = value;
      return this;
    }

    public Builder logUserContent(boolean value) {
      this.logUserContent = value;
      return this;
    }

    /** See {@link SipSettings#trustedSources()}. */
    public Builder trustedSources(TrustedSources value) {
      this.trustedSources = Objects.requireNonNull(value, "trustedSources");
      return this;
    }

    /** See {@link SipSettings#requestRate()}. */
    public Builder requestRate(RequestRate value) {
      this.requestRate = Objects.requireNonNull(value, "requestRate");
      return this;
    }

    /**
     * @throws IllegalArgumentException if no transport is enabled, TCP and TLS share a port, or no
     *     domain is given
     */
    public SipSettings build() {
      if (ports.isEmpty()) {
        throw new IllegalArgumentException("enable at least one of UDP, TCP and TLS");
      }
      if (ports.containsKey(SipTransport.TCP)
          && ports.get(SipTransport.TCP).equals(ports.get(SipTransport.TLS))) {
        throw new IllegalArgumentException(
            "TCP and TLS cannot share port " + ports.get(SipTransport.TCP));
      }
      if (domains.isEmpty()) {
        throw new IllegalArgumentException(
            "name the domains to serve (or \"" + ANY_DOMAIN + "\" for any)");
      }
      return new SipSettings(this);
    }

    private static int checkPort(int port) {
      // JAIN-SIP refuses port 0 ("bad port"), so ephemeral ports cannot be asked for.
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be in [1, 65535]: " + port);
      }
      return port;
    }
  }
}
