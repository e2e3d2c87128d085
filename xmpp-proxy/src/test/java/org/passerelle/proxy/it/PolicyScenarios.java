package org.passerelle.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.model.StanzaErrors;
import org.passerelle.proxy.XmppProxy;
import org.passerelle.proxy.config.ProxyConfig;
import org.passerelle.proxy.dns.ConnectTarget;
import org.passerelle.proxy.policy.Discovery;
import org.passerelle.proxy.policy.FederationPolicy;
import org.passerelle.proxy.policy.PartnerPolicy;
import org.passerelle.proxy.s2s.S2sEvents;
import org.passerelle.stream.StreamLimits;
import org.passerelle.testpeers.IssuedCertificate;
import org.passerelle.testpeers.LogCapture;
import org.passerelle.testpeers.S2sSecurity;
import org.passerelle.testpeers.TestCa;
import org.passerelle.testpeers.XmppPeer;
import org.passerelle.testpeers.XmppPeerConfig;
import org.passerelle.testpeers.XmppTestClient;
import org.xmpp.packet.PacketError;

/**
 * The federation policy against a real peer, as conversations: an allowed partner, a blocked one,
 * discovered federation on and off, and TLS required (or not) of a peer that federates in
 * plaintext. Two peers of the same server run for the whole class: one with TLS and dialback, one
 * without TLS. Each scenario starts its own proxy, serving a domain of its own so that no peer
 * state carries over from one scenario to the next; all proxies listen on {@link #PROXY_ADDRESS}.
 * Subclasses choose the server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PolicyScenarios {
  static final String PROXY_ADDRESS = "127.0.0.80";
  static final Duration TIMEOUT = Duration.ofSeconds(15);

  static final String ALLOWED = "allowed.pol.test";
  static final String BLOCKED = "blocked.pol.test";
  static final String OPEN = "open.pol.test";
  static final String CLOSED = "closed.pol.test";
  static final String TLS = "tls.pol.test";
  static final String OPTIONAL = "optional.pol.test";
  private static final List<String> PROXY_DOMAINS =
      List.of(ALLOWED, BLOCKED, OPEN, CLOSED, TLS, OPTIONAL);

  @TempDir static Path dir;

  private XmppPeer peer;
  private XmppPeer plainPeer;
  private XmppTestClient alice;
  private XmppTestClient plainAlice;
  private LogCapture logs;

  abstract XmppPeer newPeer(XmppPeerConfig config);

  /** The peer with TLS and dialback. */
  abstract String peerDomain();

  abstract String peerAddress();

  /** The peer without TLS. */
  abstract String plainDomain();

  abstract String plainAddress();

  @BeforeAll
  void startPeers() {
    logs = new LogCapture();
    peer = newPeer(peerConfig(peerDomain(), peerAddress(), S2sSecurity.TLS_DIALBACK));
    plainPeer = newPeer(peerConfig(plainDomain(), plainAddress(), S2sSecurity.PLAIN));
    peer.start();
    plainPeer.start();
    peer.addUser("alice", "alice-secret");
    plainPeer.addUser("alice", "alice-secret");
    alice = XmppTestClient.login(peer, "alice", "alice-secret");
    plainAlice = XmppTestClient.login(plainPeer, "alice", "alice-secret");
  }

  private XmppPeerConfig peerConfig(String domain, String address, S2sSecurity security) {
    XmppPeerConfig.Builder builder =
        XmppPeerConfig.builder(domain, address)
            .security(security)
            .certificate(TestCa.selfSigned(dir.resolve("peer-" + domain), domain));
    PROXY_DOMAINS.forEach(proxyDomain -> builder.resolve(proxyDomain, PROXY_ADDRESS));
    return builder.build();
  }

  @AfterAll
  void stopPeers() {
    for (AutoCloseable closeable : new AutoCloseable[] {alice, plainAlice, peer, plainPeer, logs}) {
      try {
        if (closeable != null) {
          closeable.close();
        }
      } catch (Exception e) {
        // Best effort: the next one must still be closed.
      }
    }
  }

  @Test
  void anAllowedPartnersMessagesFlowBothWays() throws Exception {
    try (Proxy proxy = proxy(ALLOWED, policy -> policy.partner(partner(peer)))) {
      String in = body();
      alice.sendChat("romeo@" + ALLOWED, in);
      assertThat(proxy.awaitLocal().elementText("body")).isEqualTo(in);

      String out = body();
      proxy.send("romeo@" + ALLOWED + "/desk", "alice@" + peerDomain(), out);
      assertThat(alice.awaitBody(out, TIMEOUT).getFrom().toString())
          .isEqualTo("romeo@" + ALLOWED + "/desk");
    }
  }

  @Test
  void aBlockedPartnersStreamIsRefusedAndWhatWeSendItIsBouncedNotAllowed() throws Exception {
    try (Proxy proxy =
        proxy(BLOCKED, policy -> policy.partner(partner(peer)).block(peerDomain()))) {
      Message sent = alice.sendChat("romeo@" + BLOCKED, body());
      assertThat(alice.awaitMessage(errorFor(sent), TIMEOUT).getType())
          .isEqualTo(Message.Type.error);
      logs.awaitLine(
          TIMEOUT,
          "stream error policy-violation: " + peerDomain() + " is blocked (federation.blocked)");

      proxy.send("romeo@" + BLOCKED, "alice@" + peerDomain(), body());
      Element bounce = proxy.awaitLocal();
      assertThat(StanzaErrors.conditionOf(bounce)).isEqualTo(PacketError.Condition.not_allowed);
      assertThat(proxy.proxy.router().outbound().pairs()).isEmpty();
    }
  }

  @Test
  void withDiscoveryOffAnUnlistedDomainIsRefusedBothWays() throws Exception {
    try (Proxy proxy = proxy(CLOSED, policy -> policy)) {
      Message sent = alice.sendChat("romeo@" + CLOSED, body());
      assertThat(alice.awaitMessage(errorFor(sent), TIMEOUT).getType())
          .isEqualTo(Message.Type.error);
      logs.awaitLine(
          TIMEOUT,
          "stream error policy-violation: "
              + peerDomain()
              + " is not a federation partner and discovered federation is off");

      proxy.send("romeo@" + CLOSED, "alice@" + peerDomain(), body());
      assertThat(StanzaErrors.conditionOf(proxy.awaitLocal()))
          .isEqualTo(PacketError.Condition.not_allowed);
    }
  }

  @Test
  void withDiscoveryOnAnUnlistedDomainFederatesAsUnverified() throws Exception {
    // Discovered domains default to the public-unverified tier: alice may not write first, but
    // may answer romeo once he has written to her.
    try (Proxy proxy =
        proxy(
            OPEN,
            policy ->
                policy.discovery(
                    Discovery.on(
                        ProxyConfig.partnerDefaults(true, true).toBuilder()
                            .tier(org.passerelle.proxy.policy.TrustTier.PUBLIC_UNVERIFIED)
                            .build())))) {
      Message first = alice.sendChat("romeo@" + OPEN, body());
      Message refused = alice.awaitMessage(errorFor(first), TIMEOUT);
      assertThat(refused.getError().getCondition())
          .isEqualTo(StanzaError.Condition.service_unavailable);

      String out = body();
      proxy.send("romeo@" + OPEN + "/desk", "alice@" + peerDomain(), out);
      alice.awaitBody(out, TIMEOUT);

      String answer = body();
      alice.sendChat("romeo@" + OPEN, answer);
      assertThat(proxy.awaitLocal().elementText("body")).isEqualTo(answer);
    }
  }

  @Test
  void aPartnerWithoutTlsIsRefusedBothWaysWhenTlsIsRequired() throws Exception {
    try (Proxy proxy = proxy(TLS, policy -> policy.partner(partner(plainPeer)))) {
      proxy.send("romeo@" + TLS, "alice@" + plainDomain(), body());
      Element bounce = proxy.awaitLocal();
      assertThat(bounce.attributeValue("type")).isEqualTo("error");
      assertThat(bounce.asXML())
          .contains("TLS is required for " + plainDomain())
          .contains("does not offer STARTTLS");

      Message sent = plainAlice.sendChat("romeo@" + TLS, body());
      assertThat(plainAlice.awaitMessage(errorFor(sent), TIMEOUT).getType())
          .isEqualTo(Message.Type.error);
      logs.awaitLine(TIMEOUT, "TLS is required for " + plainDomain());
      assertThat(proxy.local).isEmpty();
    }
  }

  @Test
  void aPartnerAllowedToSkipTlsFederatesInPlaintext() throws Exception {
    // The per-partner override relaxes the default (tls.required: true) for this partner only.
    try (Proxy proxy =
        proxy(
            OPTIONAL,
            policy -> policy.partner(partner(plainPeer).toBuilder().tlsRequired(false).build()))) {
      String out = body();
      proxy.send("romeo@" + OPTIONAL, "alice@" + plainDomain(), out);
      plainAlice.awaitBody(out, TIMEOUT);

      String in = body();
      plainAlice.sendChat("romeo@" + OPTIONAL, in);
      assertThat(proxy.awaitLocal().elementText("body")).isEqualTo(in);
    }
  }

  // --- a proxy per scenario ---

  /** A partner reached at the peer's address, without DNS. */
  private static PartnerPolicy partner(XmppPeer server) {
    return ProxyConfig.partnerDefaults(true, true).toBuilder()
        .domains(server.domain())
        .address(server.s2sAddress())
        .build();
  }

  private Proxy proxy(String domain, UnaryOperator<FederationPolicy.Builder> policy)
      throws Exception {
    IssuedCertificate cert = TestCa.selfSigned(dir.resolve("proxy-" + domain), domain);
    ProxyConfig config =
        new ProxyConfig(
            Set.of(domain),
            new InetSocketAddress(PROXY_ADDRESS, XmppPeer.S2S_PORT),
            new ProxyConfig.Tls(
                cert.certificatePem(), cert.privateKeyPem(), null, null, List.of(), true),
            new ProxyConfig.Dialback(true, Optional.empty()),
            Map.of(),
            StreamLimits.DEFAULTS,
            ProxyConfig.Timeouts.DEFAULTS,
            ProxyConfig.DEFAULT_OUTBOUND_QUEUE_LIMIT,
            dir.resolve("data-" + domain),
            Optional.empty(),
            policy
                .apply(FederationPolicy.builder(ProxyConfig.partnerDefaults(true, true)))
                .build());
    Proxy proxy = new Proxy(XmppProxy.start(config, this::dns, S2sEvents.NONE));
    proxy.proxy.attachLocal(proxy.local::add);
    return proxy;
  }

  /** What DNS would say: each peer's domain at its S2S address. */
  private CompletionStage<List<ConnectTarget>> dns(String domain) {
    for (XmppPeer server : List.of(peer, plainPeer)) {
      if (server.domain().equals(domain)) {
        return CompletableFuture.completedFuture(
            List.of(new ConnectTarget(server.s2sAddress(), domain, false)));
      }
    }
    return CompletableFuture.failedFuture(new UnknownHostException(domain));
  }

  private static final class Proxy implements AutoCloseable {
    final XmppProxy proxy;
    final BlockingQueue<Element> local = new LinkedBlockingQueue<>();

    Proxy(XmppProxy proxy) {
      this.proxy = proxy;
    }

    void send(String from, String to, String body) {
      Element message = DocumentHelper.createElement(QName.get("message", "jabber:server"));
      message.addAttribute("from", from);
      message.addAttribute("to", to);
      message.addAttribute("type", "chat");
      message.addAttribute("id", UUID.randomUUID().toString());
      message.addElement(QName.get("body", "jabber:server")).addText(body);
      proxy.sendFromLocal(message);
    }

    Element awaitLocal() throws InterruptedException {
      Element stanza = local.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(stanza).as("a stanza for the local side").isNotNull();
      return stanza;
    }

    @Override
    public void close() {
      proxy.close();
    }
  }

  private static java.util.function.Predicate<Message> errorFor(Message sent) {
    return m -> m.getType() == Message.Type.error && sent.getStanzaId().equals(m.getStanzaId());
  }

  private static String body() {
    return "policy " + UUID.randomUUID();
  }
}
