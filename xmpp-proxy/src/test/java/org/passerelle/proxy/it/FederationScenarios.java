package org.passerelle.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.passerelle.proxy.XmppProxy;
import org.passerelle.proxy.config.ProxyConfig;
import org.passerelle.proxy.policy.FederationPolicy;
import org.passerelle.proxy.s2s.AuthMethod;
import org.passerelle.proxy.s2s.DomainPair;
import org.passerelle.stream.StreamLimits;
import org.passerelle.testpeers.IssuedCertificate;
import org.passerelle.testpeers.S2sSecurity;
import org.passerelle.testpeers.XmppPeer;
import org.passerelle.testpeers.XmppPeerConfig;
import org.passerelle.testpeers.XmppTestClient;

/**
 * The federation conversation every real peer must hold with the proxy, in both directions: a user
 * on the peer writes to an address of the proxy's domain and gets the proxy's error back (no
 * gateway is attached), and the proxy opens a stream to the peer and delivers a message the user
 * receives. Subclasses choose the peer and the security mode; every peer runs this same list:
 * Prosody and ejabberd from Debian packages on every run, Openfire in a container where a Docker
 * engine exists ({@link PeerFederationIT} and its subclasses).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FederationScenarios {
  static final String PROXY_DOMAIN = "passerelle.test";
  static final String PROXY_ADDRESS = "127.0.0.20";
  static final Duration TIMEOUT = Duration.ofSeconds(15);

  private XmppPeer peer;
  private XmppProxy proxy;
  private XmppTestClient alice;
  private final AuthRecorder auth = new AuthRecorder();

  /** Where the proxy listens, and where the peer reaches it on port 5269. */
  String proxyAddress() {
    return PROXY_ADDRESS;
  }

  /** A peer configured with its domain, address, certificate and security mode. */
  abstract XmppPeer peer(XmppPeerConfig.Builder base);

  abstract String peerDomain();

  abstract String peerAddress();

  abstract S2sSecurity security();

  /** Our certificate and the CA files we trust (empty: the JDK's, so peers stay unverified). */
  abstract IssuedCertificate proxyCertificate();

  abstract List<Path> proxyTrust();

  abstract Path dataDir();

  /** How the peer is expected to authenticate, and how we are expected to. */
  abstract AuthMethod expectedInbound();

  abstract AuthMethod expectedOutbound();

  @BeforeAll
  void start() throws Exception {
    peer =
        peer(
            XmppPeerConfig.builder(peerDomain(), peerAddress())
                .security(security())
                .resolve(PROXY_DOMAIN, proxyAddress()));
    peer.start();
    peer.addUser("alice", "alice-secret");
    IssuedCertificate cert = proxyCertificate();
    ProxyConfig config =
        new ProxyConfig(
            Set.of(PROXY_DOMAIN),
            new InetSocketAddress(proxyAddress(), XmppPeer.S2S_PORT),
            new ProxyConfig.Tls(
                cert.certificatePem(), cert.privateKeyPem(), null, null, proxyTrust(), true),
            new ProxyConfig.Dialback(security() == S2sSecurity.TLS_DIALBACK, Optional.empty()),
            Map.of(peerDomain(), peer.s2sAddress()),
            StreamLimits.DEFAULTS,
            ProxyConfig.Timeouts.DEFAULTS,
            ProxyConfig.DEFAULT_OUTBOUND_QUEUE_LIMIT,
            dataDir(),
            Optional.empty(),
            FederationPolicy.builder(
                    ProxyConfig.partnerDefaults(true, security() == S2sSecurity.TLS_DIALBACK))
                .partners(peerDomain())
                .build());
    proxy = XmppProxy.start(config, auth);
    alice = XmppTestClient.login(peer, "alice", "alice-secret");
  }

  @AfterAll
  void stop() throws Exception {
    if (alice != null) {
      alice.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (peer != null) {
      peer.close();
    }
  }

  @Test
  void peerUserWritingToTheProxyDomainGetsServiceUnavailableBack() throws Exception {
    String body = "anyone there? " + UUID.randomUUID();
    Message sent = alice.sendChat("romeo@" + PROXY_DOMAIN, body);

    Message error =
        alice.awaitMessage(
            m -> m.getType() == Message.Type.error && sent.getStanzaId().equals(m.getStanzaId()),
            TIMEOUT);

    assertThat(error.getFrom().toString()).isEqualTo("romeo@" + PROXY_DOMAIN);
    assertThat(error.getError().getCondition())
        .isEqualTo(StanzaError.Condition.service_unavailable);
    assertThat(auth.awaitInbound(new DomainPair(PROXY_DOMAIN, peerDomain()), TIMEOUT))
        .as("how %s authenticated to us", peerDomain())
        .isEqualTo(expectedInbound());
  }

  @Test
  void proxyOpensAStreamAndDeliversAMessageThePeerUserReceives() throws Exception {
    String body = "bonjour ✓ " + UUID.randomUUID();

    proxy.sendFromLocal(message("romeo@" + PROXY_DOMAIN + "/desk", "alice@" + peerDomain(), body));

    Message received = alice.awaitBody(body, TIMEOUT);
    assertThat(received.getFrom().toString()).isEqualTo("romeo@" + PROXY_DOMAIN + "/desk");
    assertThat(received.getType()).isEqualTo(Message.Type.chat);
    assertThat(auth.awaitOutbound(new DomainPair(PROXY_DOMAIN, peerDomain()), TIMEOUT))
        .as("how we authenticated to %s", peerDomain())
        .isEqualTo(expectedOutbound());
  }

  private static Element message(String from, String to, String body) {
    Element message = DocumentHelper.createElement(QName.get("message", "jabber:server"));
    message.addAttribute("from", from);
    message.addAttribute("to", to);
    message.addAttribute("type", "chat");
    message.addAttribute("id", UUID.randomUUID().toString());
    message.addElement(QName.get("body", "jabber:server")).addText(body);
    return message;
  }
}
