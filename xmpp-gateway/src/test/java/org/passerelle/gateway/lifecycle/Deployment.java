package org.passerelle.gateway.lifecycle;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.passerelle.gateway.XmppGateway;
import org.passerelle.gateway.config.GatewayConfig;
import org.passerelle.gateway.it.Awaits;
import org.passerelle.gateway.sip.AddressRange;
import org.passerelle.gateway.sip.SipServerAddress;
import org.passerelle.gateway.sip.SipSettings;
import org.passerelle.gateway.sip.TrustedSources;
import org.passerelle.model.config.AdminSettings;
import org.passerelle.model.lifecycle.ShutdownSettings;
import org.passerelle.proxy.XmppProxy;
import org.passerelle.proxy.config.ProxyConfig;
import org.passerelle.proxy.dns.ConnectTarget;
import org.passerelle.proxy.policy.FederationPolicy;
import org.passerelle.proxy.s2s.S2sEvents;
import org.passerelle.proxy.s2s.TargetResolver;
import org.passerelle.stream.StreamLimits;
import org.passerelle.testpeers.IssuedCertificate;
import org.passerelle.testpeers.TestCa;

/**
 * Everything between an XMPP user and a SIP user agent, in one JVM, each part on its own loopback
 * address: a remote XMPP server ({@code xmpp.test}, another proxy, recording what it receives) ⇄
 * S2S ⇄ our proxy ({@code sip.test}) ⇄ link ⇄ our gateway ⇄ SIP. Where the gateway sends SIP
 * requests is chosen per start, so a test can make the SIP side answer or stay silent. A third
 * domain, {@code slow.test}, is a partner of the proxy that resolves only when the test says so
 * ({@link #slowResolution}).
 */
final class Deployment implements AutoCloseable {
  static final String ORG = "sip.test";
  static final String REMOTE = "xmpp.test";
  static final String SLOW = "slow.test";
  static final String PROXY_ADDRESS = "127.0.0.154";
  static final String REMOTE_ADDRESS = "127.0.0.155";
  static final String GATEWAY_ADDRESS = "127.0.0.156";
  static final String UA_ADDRESS = "127.0.0.157";
  static final Duration WAIT = Duration.ofSeconds(15);
  private static final String SECRET = "a link secret for the lifecycle tests";

  /** Stanzas the remote XMPP server received from us. */
  final BlockingQueue<Element> atRemote = new LinkedBlockingQueue<>();

  final InetSocketAddress gatewaySip;

  /** The proxy's {@code link.window} at its next start. */
  int linkWindow = ProxyConfig.Link.DEFAULT_WINDOW;

  /** The gateway's {@code im.sip-in-flight} at its next start. */
  int sipInFlight = GatewayConfig.Im.DEFAULT_SIP_IN_FLIGHT;

  XmppProxy remote;
  XmppProxy proxy;
  XmppGateway gateway;

  private final Path dir;
  private final TestCa ca;
  private final InetSocketAddress proxyS2s;
  private final InetSocketAddress remoteS2s;
  private final InetSocketAddress link;
  private final CompletableFuture<List<ConnectTarget>> slow = new CompletableFuture<>();

  Deployment(Path dir) throws Exception {
    this.dir = dir;
    ca = TestCa.create(dir.resolve("ca"));
    proxyS2s = new InetSocketAddress(PROXY_ADDRESS, freeTcpPort(PROXY_ADDRESS));
    link = new InetSocketAddress(PROXY_ADDRESS, freeTcpPort(PROXY_ADDRESS));
    remoteS2s = new InetSocketAddress(REMOTE_ADDRESS, freeTcpPort(REMOTE_ADDRESS));
    gatewaySip = new InetSocketAddress(GATEWAY_ADDRESS, freeTcpPort(GATEWAY_ADDRESS));
  }

  void startRemote() throws Exception {
    remote =
        XmppProxy.start(
            proxyConfig(REMOTE, remoteS2s, Optional.empty()), resolver(), S2sEvents.NONE);
    remote.attachLocal(atRemote::add);
  }

  void startProxy() throws Exception {
    startProxy(ShutdownSettings.DEFAULT_DRAIN);
  }

  void startProxy(Duration drain) throws Exception {
    proxy =
        XmppProxy.start(
            proxyConfig(
                    ORG,
                    proxyS2s,
                    Optional.of(
                        new ProxyConfig.Link(
                            link,
                            SECRET,
                            List.of(ca.certificatePath()),
                            Duration.ofSeconds(30),
                            1000,
                            linkWindow)))
                .withShutdown(new ShutdownSettings(drain)),
            resolver(),
            S2sEvents.NONE);
  }

  /** Completing it lets {@code slow.test} resolve (or, exceptionally, fail to). */
  CompletableFuture<List<ConnectTarget>> slowResolution() {
    return slow;
  }

  /** Starts the gateway, sending its SIP requests to {@code sipServer}. */
  void startGateway(InetSocketAddress sipServer, Duration drain) throws Exception {
    IssuedCertificate cert = ca.issue("gateway." + ORG);
    GatewayConfig config =
        new GatewayConfig(
                Set.of(ORG),
                new GatewayConfig.Link(
                    link,
                    SECRET,
                    true,
                    cert.certificatePem(),
                    cert.privateKeyPem(),
                    List.of(ca.certificatePath()),
                    true,
                    Duration.ofSeconds(10),
                    1000),
                SipSettings.builder(gatewaySip.getAddress())
                    .udp(gatewaySip.getPort())
                    .tcp(gatewaySip.getPort())
                    .outboundProxy(
                        SipServerAddress.parse(
                            sipServer.getAddress().getHostAddress() + ":" + sipServer.getPort()))
                    .domains(SipSettings.ANY_DOMAIN)
                    // As the configuration file does by default: the outbound proxy is trusted to
                    // send for local users, so Bob's user agent sends from its address.
                    .trustedSources(
                        new TrustedSources(
                            Set.of(ORG),
                            List.of(AddressRange.parse(sipServer.getAddress().getHostAddress()))))
                    .build(),
                new GatewayConfig.Im(16 * 1024, 1000, sipInFlight),
                dir.resolve("gateway-data"))
            .withShutdown(new ShutdownSettings(drain))
            .withAdmin(new AdminSettings(new InetSocketAddress(GATEWAY_ADDRESS, 0)));
    gateway = XmppGateway.start(config);
  }

  void awaitLinked() {
    Awaits.until(() -> gateway.isLinked(), WAIT, "the gateway attached to the proxy");
  }

  /** A chat message from the remote XMPP server's user to a SIP user of ours. */
  Element fromRemote(String sipUser, String body) {
    Element message = DocumentHelper.createElement(QName.get("message", "jabber:server"));
    message.addAttribute("from", "alice@" + REMOTE + "/phone");
    message.addAttribute("to", sipUser + "@" + ORG);
    message.addAttribute("id", UUID.randomUUID().toString());
    message.addAttribute("type", "chat");
    message.addElement(QName.get("body", "jabber:server")).addText(body);
    remote.sendFromLocal(message);
    return message;
  }

  private ProxyConfig proxyConfig(
      String domain, InetSocketAddress listen, Optional<ProxyConfig.Link> link) {
    IssuedCertificate cert = ca.issue(domain);
    return new ProxyConfig(
        Set.of(domain),
        listen,
        new ProxyConfig.Tls(
            cert.certificatePem(),
            cert.privateKeyPem(),
            null,
            null,
            List.of(ca.certificatePath()),
            true),
        new ProxyConfig.Dialback(false, Optional.empty()),
        Map.of(),
        StreamLimits.DEFAULTS,
        ProxyConfig.Timeouts.DEFAULTS,
        1000,
        dir.resolve("data-" + domain),
        link,
        FederationPolicy.builder(ProxyConfig.partnerDefaults(true, false))
            .partners(ORG.equals(domain) ? REMOTE : ORG, SLOW)
            .build());
  }

  private TargetResolver resolver() {
    return domain -> {
      if (SLOW.equals(domain)) {
        return slow;
      }
      InetSocketAddress address =
          ORG.equals(domain) ? proxyS2s : REMOTE.equals(domain) ? remoteS2s : null;
      if (address == null) {
        return CompletableFuture.failedFuture(new UnknownHostException(domain));
      }
      return CompletableFuture.completedFuture(List.of(new ConnectTarget(address, domain, false)));
    };
  }

  static int freeTcpPort(String address) throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    slow.completeExceptionally(new UnknownHostException(SLOW));
    for (AutoCloseable part : new AutoCloseable[] {gateway, proxy, remote}) {
      if (part != null) {
        try {
          part.close();
        } catch (Exception e) {
          // keep closing the rest
        }
      }
    }
  }
}
