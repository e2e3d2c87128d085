package org.passerelle.testpeers;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a {@link KamailioPeer} serves and where it sends requests for other domains, validated when
 * built. Example:
 *
 * <pre>{@code
 * KamailioConfig config =
 *     KamailioConfig.builder("sip.test", "127.0.0.30")
 *         .gateway(SipHop.of("127.0.0.31", 5070, SipTransport.TCP))
 *         .build();
 * }</pre>
 */
public final class KamailioConfig {

  /** The default SIP port (RFC 3261 §19.1.2), for UDP and TCP. */
  public static final int DEFAULT_PORT = 5060;

  /**
   * Default shared memory, MB. Enough for functional tests; peers.md measured {@code tm} running
   * out at 256 MB under 8,000 MESSAGE/s, so load tests want about 1024.
   */
  public static final int DEFAULT_SHARED_MEMORY_MB = 256;

  /** Default worker processes per transport: the test machines have two shared cores. */
  public static final int DEFAULT_WORKERS = 2;

  /**
   * Default for {@link Builder#transactionTimeout}: shorter than RFC 3261 Timer F (32 s), so that
   * tests of an unreachable user end soon.
   */
  public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofSeconds(8);

  /** Default for {@link Builder#startTimeout(Duration)}. */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(20);

  private final String domain;
  private final InetAddress address;
  private final int port;
  private final SipHop gateway;
  private final int sharedMemoryMb;
  private final int workers;
  private final Duration transactionTimeout;
  private final Duration startTimeout;
  private final Path workDirParent;
  private final Set<String> userAgentPresence;

  private KamailioConfig(Builder builder) {
    this.domain = builder.domain;
    this.address = builder.address;
    this.port = builder.port;
    this.gateway = builder.gateway;
    this.sharedMemoryMb = builder.sharedMemoryMb;
    this.workers = builder.workers;
    this.transactionTimeout = builder.transactionTimeout;
    this.startTimeout = builder.startTimeout;
    this.workDirParent = builder.workDirParent;
    this.userAgentPresence = Collections.unmodifiableSet(new TreeSet<>(builder.userAgentPresence));
  }

  /**
   * Starts a configuration for Kamailio serving the SIP {@code domain} on the loopback {@code
   * address}.
   *
   * @param address an IPv4 literal in 127.0.0.0/8
   */
  public static Builder builder(String domain, String address) {
    return new Builder(ConfigChecks.domainName(domain), ConfigChecks.loopback(address));
  }

  /** The SIP domain whose users register here, e.g. {@code sip.test}. */
  public String domain() {
    return domain;
  }

  public InetAddress address() {
    return address;
  }

  /** The port of both the UDP and the TCP listener. */
  public int port() {
    return port;
  }

  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(address, port);
  }

  /**
   * Where requests for every other domain go (RFC 7247 §5: the XMPP⇄SIP gateway); absent means they
   * are refused.
   */
  public Optional<SipHop> gateway() {
    return Optional.ofNullable(gateway);
  }

  public int sharedMemoryMb() {
    return sharedMemoryMb;
  }

  /** Worker processes for UDP, and as many for TCP. */
  public int workers() {
    return workers;
  }

  /** How long Kamailio waits for a final response to a request it forwarded. */
  public Duration transactionTimeout() {
    return transactionTimeout;
  }

  public Duration startTimeout() {
    return startTimeout;
  }

  /** Where the peer's working directory is created. */
  public Path workDirParent() {
    return workDirParent;
  }

  /**
   * Users of {@link #domain()} who are their own presence agents: a SUBSCRIBE for one goes to its
   * registered contact instead of Kamailio's presence server. In name order; empty by default.
   */
  public Set<String> userAgentPresence() {
    return userAgentPresence;
  }

  /**
   * The {@code kamailio.cfg} this configuration stands for, the file {@link KamailioPeer} runs
   * (also how {@code examples/kamailio.cfg} is made).
   */
  public String configurationFile() {
    return KamailioConfigFile.render(this);
  }

  @Override
  public String toString() {
    return domain
        + "@"
        + address.getHostAddress()
        + ":"
        + port
        + gateway().map(hop -> " gateway " + hop).orElse("")
        + (userAgentPresence.isEmpty() ? "" : " user agent presence " + userAgentPresence);
  }

  /** Collects and checks the settings of one Kamailio. */
  public static final class Builder {
    private final String domain;
    private final InetAddress address;
    private int port = DEFAULT_PORT;
    private SipHop gateway;
    private int sharedMemoryMb = DEFAULT_SHARED_MEMORY_MB;
    private int workers = DEFAULT_WORKERS;
    private Duration transactionTimeout = DEFAULT_TRANSACTION_TIMEOUT;
    private Duration startTimeout = DEFAULT_START_TIMEOUT;
    private Path workDirParent = Path.of(System.getProperty("java.io.tmpdir"));
    private Set<String> userAgentPresence = Set.of();

    private Builder(String domain, InetAddress address) {
      this.domain = domain;
      this.address = address;
    }

    /** The UDP and TCP port; default {@value KamailioConfig#DEFAULT_PORT}. */
    public Builder port(int port) {
      this.port = ConfigChecks.port(port);
      return this;
    }

    /** Sends requests for every domain but {@link #domain()} to {@code gateway}. */
    public Builder gateway(SipHop gateway) {
      this.gateway = Objects.requireNonNull(gateway, "gateway");
      return this;
    }

    /** Shared memory ({@code -m}), 64 to 4096 MB; default 256. */
    public Builder sharedMemoryMb(int sharedMemoryMb) {
      this.sharedMemoryMb = ConfigChecks.within("sharedMemoryMb", sharedMemoryMb, 64, 4096);
      return this;
    }

    /** Worker processes per transport, 1 to 8; default 2. */
    public Builder workers(int workers) {
      this.workers = ConfigChecks.within("workers", workers, 1, 8);
      return this;
    }

    /**
     * How long Kamailio waits for a final response before it answers 408 (480 for a local user), 1
     * to 32 s; default 8 s.
     */
    public Builder transactionTimeout(Duration transactionTimeout) {
      this.transactionTimeout =
          ConfigChecks.within(
              "transactionTimeout",
              transactionTimeout,
              Duration.ofSeconds(1),
              Duration.ofSeconds(32));
      return this;
    }

    /** How long {@link KamailioPeer#start()} waits for Kamailio to answer; default 20 s. */
    public Builder startTimeout(Duration startTimeout) {
      this.startTimeout =
          ConfigChecks.within(
              "startTimeout", startTimeout, Duration.ofSeconds(1), Duration.ofMinutes(5));
      return this;
    }

    /** Parent of the peer's fresh working directory; default {@code java.io.tmpdir}. */
    public Builder workDirParent(Path workDirParent) {
      this.workDirParent = Objects.requireNonNull(workDirParent, "workDirParent");
      return this;
    }

    /**
     * Makes {@code users} of {@link #domain()} their own presence agents (RFC 3856 §3, RFC 8048
     * §4): a SUBSCRIBE whose Request-URI names one goes to the user's registered contact, like a
     * MESSAGE, record-routed so that the NOTIFYs and refreshes of its dialog pass Kamailio too.
     * Other users' SUBSCRIBEs, and every PUBLISH, still go to Kamailio's presence server. Replaces
     * any earlier list; default none.
     *
     * @param users user parts such as {@code alice}: lower-case letters, digits, {@code . _ -}
     */
    public Builder userAgentPresence(String... users) {
      Set<String> checked = new LinkedHashSet<>();
      for (String user : Objects.requireNonNull(users, "users")) {
        checked.add(ConfigChecks.sipUser(user));
      }
      this.userAgentPresence = checked;
      return this;
    }

    public KamailioConfig build() {
      if (gateway != null && gateway.address().equals(address) && gateway.port() == port) {
        throw new IllegalStateException(
            domain + ": the gateway " + gateway + " is Kamailio's own address");
      }
      return new KamailioConfig(this);
    }
  }
}
