package org.passerelle.gateway.it;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.passerelle.gateway.XmppGateway;
import org.passerelle.gateway.config.GatewayConfig;
import org.passerelle.gateway.sip.AddressRange;
import org.passerelle.gateway.sip.SipServerAddress;
import org.passerelle.gateway.sip.SipSettings;
import org.passerelle.gateway.sip.TrustedSources;
import org.passerelle.model.config.AdminSettings;
import org.passerelle.proxy.XmppProxy;
import org.passerelle.proxy.config.ProxyConfig;
import org.passerelle.proxy.policy.FederationPolicy;
import org.passerelle.stream.StreamLimits;
import org.passerelle.testpeers.IssuedCertificate;
import org.passerelle.testpeers.KamailioConfig;
import org.passerelle.testpeers.KamailioPeer;
import org.passerelle.testpeers.ProsodyPeer;
import org.passerelle.testpeers.S2sSecurity;
import org.passerelle.testpeers.SipHop;
import org.passerelle.testpeers.SipTransport;
import org.passerelle.testpeers.TestCa;
import org.passerelle.testpeers.XmppPeer;
import org.passerelle.testpeers.XmppPeerConfig;
import org.passerelle.testpeers.XmppTestClient;
import org.passerelle.testpeers.sip.SipTestClient;

/**
 * Everything a conversation between an XMPP user and a SIP user crosses, each part on its own
 * loopback address: Prosody ({@code xmpp.test}) ⇄ S2S ⇄ our proxy ({@code sip.test}) ⇄ link ⇄ our
 * gateway ⇄ SIP ⇄ Kamailio ({@code sip.test}) ⇄ a SIP user agent. Alice is on XMPP, Bob on SIP.
 */
final class Conversation implements AutoCloseable {
  static final String XMPP_DOMAIN = "xmpp.test";
  static final String ORG = "sip.test";
  static final String KAMAILIO = "127.0.0.40";
  static final String PROXY = "127.0.0.41";
  static final String GATEWAY = "127.0.0.42";
  static final String BOB_HOST = "127.0.0.43";
  static final String PROSODY = "127.0.0.44";
  static final int GATEWAY_SIP_PORT = 5070;
  static final int LINK_PORT = 23456;

  /** The admin endpoints, on loopback addresses of their own (none of the peers' ports). */
  static final InetSocketAddress PROXY_ADMIN = new InetSocketAddress("127.0.0.140", 9269);

  static final InetSocketAddress GATEWAY_ADMIN = new InetSocketAddress("127.0.0.141", 9270);

  private static final String LINK_SECRET = "conversation link secret";

  private final Path dir;
  private final TestCa ca;
  private final Duration linkHold;
  final XmppPeer prosody;
  final KamailioPeer kamailio;
  XmppProxy proxy;
  XmppGateway gateway;
  final XmppTestClient alice;
  final SipTestClient bob;

  /**
   * @param linkHold how long the gateway holds a SIP message while the link is down; it must stay
   *     below Kamailio's transaction timeout, or Kamailio answers the sender before the gateway
   *     does
   */
  Conversation(Path dir, Duration linkHold) throws Exception {
    this(dir, linkHold, new String[0]);
  }

  /**
   * @param presenceAgents SIP users whose SUBSCRIBEs Kamailio hands to their own user agent instead
   *     of its presence server (RFC 8048 §4: the SIP side may be either)
   */
  Conversation(Path dir, Duration linkHold, String... presenceAgents) throws Exception {
    this.dir = dir;
    this.linkHold = linkHold;
    ca = TestCa.create(dir.resolve("ca"));
    prosody =
        new ProsodyPeer(
            XmppPeerConfig.builder(XMPP_DOMAIN, PROSODY)
                .security(S2sSecurity.TLS_SASL_EXTERNAL)
                .certificate(ca.issue(XMPP_DOMAIN))
                .trustedCa(ca.certificatePath())
                .resolve(ORG, PROXY)
                .build());
    kamailio =
        new KamailioPeer(
            KamailioConfig.builder(ORG, KAMAILIO)
                .gateway(SipHop.of(GATEWAY, GATEWAY_SIP_PORT, SipTransport.TCP))
                .userAgentPresence(presenceAgents)
                .build());
    prosody.start();
    kamailio.start();
    prosody.addUser("alice", "alice-secret");
    startProxy();
    startGateway();
    alice = XmppTestClient.login(prosody, "alice", "alice-secret");
    bob = SipTestClient.builder("bob", kamailio).bind(BOB_HOST).transport(SipTransport.TCP).build();
    bob.register(Duration.ofMinutes(10));
    awaitLinked();
  }

  void startProxy() throws Exception {
    IssuedCertificate cert = ca.issue(ORG);
    ProxyConfig config =
        new ProxyConfig(
                Set.of(ORG),
                new InetSocketAddress(PROXY, XmppPeer.S2S_PORT),
                new ProxyConfig.Tls(
                    cert.certificatePem(),
                    cert.privateKeyPem(),
                    null,
                    null,
                    List.of(ca.certificatePath()),
                    true),
                new ProxyConfig.Dialback(false, Optional.empty()),
                Map.of(XMPP_DOMAIN, prosody.s2sAddress()),
                StreamLimits.DEFAULTS,
                ProxyConfig.Timeouts.DEFAULTS,
                ProxyConfig.DEFAULT_OUTBOUND_QUEUE_LIMIT,
                dir.resolve("proxy-data"),
                Optional.of(
                    new ProxyConfig.Link(
                        new InetSocketAddress(PROXY, LINK_PORT),
                        LINK_SECRET,
                        List.of(ca.certificatePath()),
                        Duration.ofSeconds(30),
                        10_000)),
                FederationPolicy.builder(ProxyConfig.partnerDefaults(true, false))
                    .partners(XMPP_DOMAIN)
                    .build())
            .withAdmin(new AdminSettings(PROXY_ADMIN));
    proxy = XmppProxy.start(config);
  }

  void startGateway() throws Exception {
    IssuedCertificate cert = ca.issue("gateway." + ORG);
    GatewayConfig config =
        new GatewayConfig(
                Set.of(ORG),
                new GatewayConfig.Link(
                    new InetSocketAddress(PROXY, LINK_PORT),
                    LINK_SECRET,
                    true,
                    cert.certificatePem(),
                    cert.privateKeyPem(),
                    List.of(ca.certificatePath()),
                    true,
                    linkHold,
                    10_000),
                SipSettings.builder(InetAddress.getByName(GATEWAY))
                    .udp(GATEWAY_SIP_PORT)
                    .tcp(GATEWAY_SIP_PORT)
                    .outboundProxy(SipServerAddress.parse(KAMAILIO + ":5060;transport=tcp"))
                    .domains(SipSettings.ANY_DOMAIN)
                    // As the configuration file does by default: the outbound proxy is trusted, so
                    // Kamailio must send from the address we send to.
                    .trustedSources(
                        new TrustedSources(Set.of(ORG), List.of(AddressRange.parse(KAMAILIO))))
                    .build(),
                new GatewayConfig.Im(16 * 1024, 1000),
                dir.resolve("gateway-data"))
            .withAdmin(new AdminSettings(GATEWAY_ADMIN));
    gateway = XmppGateway.start(config);
  }

  void awaitLinked() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!gateway.isLinked() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    if (!gateway.isLinked()) {
      throw new AssertionError("the gateway did not attach to the proxy");
    }
  }

  @Override
  public void close() {
    for (AutoCloseable part : new AutoCloseable[] {alice, bob, gateway, proxy, kamailio, prosody}) {
      if (part != null) {
        try {
          part.close();
        } catch (Exception e) {
          // Keep closing the rest; the first failure is not worth more than the cleanup.
        }
      }
    }
  }
}
