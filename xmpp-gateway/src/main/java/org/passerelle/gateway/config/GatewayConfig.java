package org.passerelle.gateway.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.passerelle.gateway.sip.SipSettings;
import org.passerelle.gateway.store.StoreSettings;
import org.passerelle.gateway.subscriptions.PresenceSettings;
import org.passerelle.model.config.AdminSettings;
import org.passerelle.model.config.IoSettings;
import org.passerelle.model.config.Redaction;
import org.passerelle.model.lifecycle.ShutdownSettings;

/**
 * The gateway's configuration, validated and read-only. Built by {@link GatewayConfigLoader}.
 *
 * @param domains the organisation's domains: its SIP domain is also its XMPP domain (RFC 7247)
 * @param link how to reach the proxy
 * @param sip the SIP endpoint: listening points, the organisation's SIP server
 * @param im message translation limits
 * @param dataDir state that must survive a restart
 * @param store the subscription store: by default a SQLite file under {@code dataDir}
 * @param presence presence subscriptions: lifetime, restart pacing, the show mapping
 * @param admin the admin HTTP endpoint (metrics, health, status page); empty means off
 * @param shutdown how long a stopping gateway lets SIP transactions and link sends under way finish
 * @param io how the event loop wakes (decision 20)
 */
public record GatewayConfig(
    Set<String> domains,
    Link link,
    SipSettings sip,
    Im im,
    Path dataDir,
    StoreSettings store,
    PresenceSettings presence,
    Optional<AdminSettings> admin,
    ShutdownSettings shutdown,
    IoSettings io) {

  public GatewayConfig {
    domains = Set.copyOf(domains);
    if (domains.isEmpty()) {
      throw new IllegalArgumentException("domains: at least one domain is required");
    }
    Objects.requireNonNull(link, "link");
    Objects.requireNonNull(sip, "sip");
    Objects.requireNonNull(im, "im");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(presence, "presence");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(shutdown, "shutdown");
    Objects.requireNonNull(io, "io");
  }

  /** Without the admin endpoint, with the default shutdown settings. */
  public GatewayConfig(
      Set<String> domains,
      Link link,
      SipSettings sip,
      Im im,
      Path dataDir,
      StoreSettings store,
      PresenceSettings presence) {
    this(
        domains,
        link,
        sip,
        im,
        dataDir,
        store,
        presence,
        Optional.empty(),
        ShutdownSettings.DEFAULTS,
        IoSettings.DEFAULTS);
  }

  /** With the default store, a SQLite file under {@code dataDir}, and default presence settings. */
  public GatewayConfig(Set<String> domains, Link link, SipSettings sip, Im im, Path dataDir) {
    this(
        domains,
        link,
        sip,
        im,
        dataDir,
        StoreSettings.embedded(dataDir),
        PresenceSettings.defaults());
  }

  /** The same configuration with other presence settings. */
  public GatewayConfig withPresence(PresenceSettings value) {
    return new GatewayConfig(domains, link, sip, im, dataDir, store, value, admin, shutdown, io);
  }

  /** The same configuration with the admin endpoint at {@code value}. */
  public GatewayConfig withAdmin(AdminSettings value) {
    return new GatewayConfig(
        domains, link, sip, im, dataDir, store, presence, Optional.of(value), shutdown, io);
  }

  /** The same configuration with other shutdown settings. */
  public GatewayConfig withShutdown(ShutdownSettings value) {
    return new GatewayConfig(domains, link, sip, im, dataDir, store, presence, admin, value, io);
  }

  /**
   * The link to the proxy (or to an XMPP server's component port).
   *
   * @param server the proxy's link address
   * @param secret the XEP-0114 shared secret
   * @param tls whether the link is TLS (always with our proxy; plain only for a component port on
   *     the same host)
   * @param certificate the gateway's certificate chain (PEM), presented to the proxy
   * @param key its private key (PEM)
   * @param trust CA files the proxy's certificate must chain to
   * @param acknowledgements whether to use acknowledgements (our proxy: yes)
   * @param hold how long a stanza may wait for the link
   * @param pendingLimit how many stanzas may wait for the link or an acknowledgement
   */
  public record Link(
      InetSocketAddress server,
      String secret,
      boolean tls,
      Path certificate,
      Path key,
      List<Path> trust,
      boolean acknowledgements,
      Duration hold,
      int pendingLimit) {
    public static final Duration DEFAULT_HOLD = Duration.ofSeconds(10);
    public static final int DEFAULT_PENDING_LIMIT = 10_000;

    public Link {
      Objects.requireNonNull(server, "server");
      if (secret == null || secret.isEmpty()) {
        throw new IllegalArgumentException("link.secret is required");
      }
      trust = List.copyOf(trust);
      if (tls && (certificate == null || key == null || trust.isEmpty())) {
        throw new IllegalArgumentException(
            "link.certificate, link.key and link.trust are required with link.tls: true");
      }
    }

    /** Without the secret, which must not reach a log. */
    @Override
    public String toString() {
      return "Link[server="
          + server
          + ", secret="
          + Redaction.mark(secret)
          + ", tls="
          + tls
          + ", certificate="
          + certificate
          + ", key="
          + key
          + ", trust="
          + trust
          + ", acknowledgements="
          + acknowledgements
          + ", hold="
          + hold
          + ", pendingLimit="
          + pendingLimit
          + "]";
    }
  }

  /**
   * Instant messaging.
   *
   * @param maxBodyBytes largest message body carried either way (RFC 7572 §6)
   * @param conversations how many contact pairs the gateway remembers the message type of, and how
   *     many messages from SIP it remembers for an XMPP error that may follow (256 bytes each,
   *     decision 18)
   * @param sipInFlight how many messages from XMPP may wait for their final SIP response at once;
   *     at that many the gateway stops reading its links until half are done
   */
  public record Im(int maxBodyBytes, int conversations, int sipInFlight) {
    public static final int DEFAULT_CONVERSATIONS = 100_000;

    public static final int MAX_SIP_IN_FLIGHT = 1_000_000;

    /**
     * Well under a second of what a gateway sends when the SIP server keeps up. A SIP server that
     * falls behind otherwise makes the transactions waiting for it pile up, and the garbage
     * collector, copying them, becomes the bottleneck (docs/BENCHMARKS.md).
     */
    public static final int DEFAULT_SIP_IN_FLIGHT = 2_000;

    public Im {
      if (maxBodyBytes < 1 || conversations < 1) {
        throw new IllegalArgumentException("im limits must be positive");
      }
      if (sipInFlight < 2 || sipInFlight > MAX_SIP_IN_FLIGHT) {
        throw new IllegalArgumentException("im.sip-in-flight must be 2.." + MAX_SIP_IN_FLIGHT);
      }
    }

    /** With the default {@link #DEFAULT_SIP_IN_FLIGHT SIP in flight}. */
    public Im(int maxBodyBytes, int conversations) {
      this(maxBodyBytes, conversations, DEFAULT_SIP_IN_FLIGHT);
    }
  }
}
