package org.passerelle.gateway.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.model.StanzaErrors;
import org.passerelle.model.errors.StanzaCondition;
import org.passerelle.model.lifecycle.ShutdownSettings;
import org.passerelle.proxy.XmppProxy;
import org.passerelle.proxy.config.ProxyConfig;
import org.passerelle.proxy.dns.ConnectTarget;
import org.passerelle.proxy.policy.FederationPolicy;
import org.passerelle.proxy.s2s.S2sEvents;
import org.passerelle.proxy.s2s.TargetResolver;
import org.passerelle.stream.StreamLimits;
import org.passerelle.stream.pki.KeyMaterial;
import org.passerelle.stream.pki.TlsContexts;
import org.passerelle.testpeers.IssuedCertificate;
import org.passerelle.testpeers.TestCa;

/**
 * The link between a real gateway link client and a real proxy, over loopback TLS with client
 * certificates. A second proxy plays the remote XMPP server ({@code xmpp.test}), so every stanza
 * crosses link and S2S as in production.
 */
class LinkClientTest {
  private static final String ORG = "sip.test";
  private static final String REMOTE = "xmpp.test";
  private static final String SECRET = "link secret for tests";
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;

  private final NioEventLoopGroup group = new NioEventLoopGroup(1);
  private final BlockingQueue<Element> atGateway = new LinkedBlockingQueue<>();
  private final BlockingQueue<Element> atRemote = new LinkedBlockingQueue<>();
  private TestCa ca;
  private int proxyPort;
  private int remotePort;
  private int linkPort;
  private XmppProxy proxy;
  private XmppProxy remote;
  private LinkClient gateway;

  @BeforeEach
  void start() throws Exception {
    ca = TestCa.create(dir.resolve("ca"));
    proxyPort = freePort();
    remotePort = freePort();
    linkPort = freePort();
    remote = startProxy(REMOTE, remotePort, Optional.empty());
    remote.attachLocal(atRemote::add);
    proxy = startProxy(ORG, proxyPort, Optional.of(linkConfig(Duration.ofSeconds(20))));
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    proxy.close();
    remote.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  @Test
  void stanzasCrossTheLinkBothWaysAndSendsCompleteOnAcknowledgement() throws Exception {
    gateway = startGateway(SECRET, gatewayTls(ca.issue("gateway." + ORG)));
    awaitUp();

    gateway
        .send(message("alice@" + ORG, "bob@" + REMOTE, "g1"))
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    Element received = atRemote.poll(10, TimeUnit.SECONDS);
    assertThat(received).isNotNull();
    assertThat(received.attributeValue("id")).isEqualTo("g1");
    assertThat(received.getNamespaceURI()).isEqualTo("jabber:server");

    remote.sendFromLocal(message("bob@" + REMOTE, "alice@" + ORG, "r1"));
    Element toGateway = atGateway.poll(10, TimeUnit.SECONDS);
    assertThat(toGateway.attributeValue("id")).isEqualTo("r1");
    assertThat(toGateway.getNamespaceURI()).isEqualTo("jabber:server");
  }

  @Test
  void stanzasForTheDomainWaitWhileTheGatewayRestartsAndArriveExactlyOnce() throws Exception {
    gateway = startGateway(SECRET, gatewayTls(ca.issue("gateway." + ORG)));
    awaitUp();
    remote.sendFromLocal(message("bob@" + REMOTE, "alice@" + ORG, "before"));
    assertThat(atGateway.poll(10, TimeUnit.SECONDS).attributeValue("id")).isEqualTo("before");

    gateway.close();
    for (int i = 0; i < 20; i++) {
      remote.sendFromLocal(message("bob@" + REMOTE, "alice@" + ORG, "during-" + i));
    }
    Thread.sleep(300);
    gateway = startGateway(SECRET, gatewayTls(ca.issue("gateway." + ORG)));

    Set<String> ids = new HashSet<>();
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Element e = atGateway.poll(10, TimeUnit.SECONDS);
      assertThat(e).as("stanza %d of 20", i).isNotNull();
      ids.add(e.attributeValue("id"));
      order.add(e.attributeValue("id"));
    }
    assertThat(ids).hasSize(20);
    assertThat(atGateway.poll(500, TimeUnit.MILLISECONDS)).as("no duplicate").isNull();
  }

  @Test
  void gatewaySendsWaitWhileTheProxyRestartsAndArriveExactlyOnce() throws Exception {
    gateway = startGateway(SECRET, gatewayTls(ca.issue("gateway." + ORG)));
    awaitUp();

    proxy.close();
    List<CompletableFuture<Void>> sends = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sends.add(
          gateway.send(message("alice@" + ORG, "bob@" + REMOTE, "p" + i)).toCompletableFuture());
    }
    proxy = startProxy(ORG, proxyPort, Optional.of(linkConfig(Duration.ofSeconds(20))));

    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(15, TimeUnit.SECONDS);
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      Element e = atRemote.poll(10, TimeUnit.SECONDS);
      assertThat(e).as("stanza %d of 20", i).isNotNull();
      ids.add(e.attributeValue("id"));
    }
    assertThat(ids).hasSize(20);
    assertThat(atRemote.poll(500, TimeUnit.MILLISECONDS)).as("no duplicate").isNull();
  }

  @Test
  void afterAProxyRestartTheNewLinkStaysUpAndCarriesStanzasToTheGateway() throws Exception {
    // Acknowledgement counters are per stream (XEP-0198 §4): a new link counts from zero.
    gateway = startGateway(SECRET, gatewayTls(ca.issue("gateway." + ORG)));
    awaitUp();
    for (int i = 0; i < 3; i++) {
      remote.sendFromLocal(message("bob@" + REMOTE, "alice@" + ORG, "old" + i));
      assertThat(atGateway.poll(10, TimeUnit.SECONDS)).isNotNull();
    }

    proxy.close();
    proxy = startProxy(ORG, proxyPort, Optional.of(linkConfig(Duration.ofSeconds(20))));
    awaitUp();
    for (int i = 0; i < 3; i++) {
      remote.sendFromLocal(message("bob@" + REMOTE, "alice@" + ORG, "new" + i));
      assertThat(atGateway.poll(10, TimeUnit.SECONDS).attributeValue("id")).isEqualTo("new" + i);
    }
    Thread.sleep(500);

    assertThat(gateway.isUp()).as("the new link is still attached").isTrue();
    assertThat(atGateway.poll(300, TimeUnit.MILLISECONDS)).as("no duplicate").isNull();
  }

  @Test
  void withoutAGatewayHeldStanzasAreAnsweredServiceUnavailableWhenTheHoldEnds() throws Exception {
    proxy.close();
    proxy = startProxy(ORG, proxyPort, Optional.of(linkConfig(Duration.ofSeconds(1))));

    remote.sendFromLocal(message("bob@" + REMOTE, "alice@" + ORG, "held-1"));
    Element bounce = atRemote.poll(10, TimeUnit.SECONDS);

    assertThat(bounce).isNotNull();
    assertThat(bounce.attributeValue("type")).isEqualTo("error");
    assertThat(bounce.attributeValue("id")).isEqualTo("held-1");
    assertThat(StanzaErrors.definedConditionOf(bounce))
        .isEqualTo(StanzaCondition.SERVICE_UNAVAILABLE);
  }

  @Test
  void wrongSecretIsRefusedAndSendsFailAfterTheHoldTime() throws Exception {
    gateway = startGateway("not the right secret!", gatewayTls(ca.issue("gateway." + ORG)));

    CompletableFuture<Void> send =
        gateway.send(message("alice@" + ORG, "bob@" + REMOTE, "x")).toCompletableFuture();

    assertThatThrownBy(() -> send.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(LinkUnavailableException.class);
    assertThat(gateway.isUp()).isFalse();
  }

  @Test
  void gatewayCertificateFromAnotherAuthorityIsRefused() throws Exception {
    TestCa other = TestCa.create(dir.resolve("other-ca"));
    gateway = startGateway(SECRET, gatewayTls(other.issue("gateway." + ORG)));

    Thread.sleep(1500);
    assertThat(gateway.isUp()).isFalse();
    remote.sendFromLocal(message("bob@" + REMOTE, "alice@" + ORG, "held"));
    assertThat(atGateway.poll(500, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void untilItFirstAttachesTheLinkRetriesAtTheShortestDelayInsteadOfDoublingIt() throws Exception {
    // A port that takes each connection and drops it, as a proxy still starting would refuse it.
    AtomicInteger attempts = new AtomicInteger();
    try (ServerSocket notYetAProxy = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      Thread acceptor =
          new Thread(
              () -> {
                while (!notYetAProxy.isClosed()) {
                  try {
                    notYetAProxy.accept().close();
                    attempts.incrementAndGet();
                  } catch (IOException e) {
                    return;
                  }
                }
              },
              "not-yet-a-proxy");
      acceptor.start();
      LinkSettings settings =
          new LinkSettings(
              new InetSocketAddress("127.0.0.1", notYetAProxy.getLocalPort()),
              ORG,
              SECRET,
              Optional.of(gatewayTls(ca.issue("gateway." + ORG))),
              true,
              Duration.ofMillis(20),
              Duration.ofSeconds(30),
              Duration.ofSeconds(3),
              1000);
      gateway =
          new LinkClient(
              settings,
              atGateway::add,
              group.next(),
              NioSocketChannel.class,
              StreamLimits.DEFAULTS);
      gateway.start();

      // Doubling from 20 ms (jittered), the twelfth attempt would come 20 s after the first.
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (attempts.get() < 12 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(attempts.get())
          .as("connection attempts within %s", WAIT)
          .isGreaterThanOrEqualTo(12);
    }
  }

  private void awaitUp() throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!gateway.isUp() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(gateway.isUp()).as("link up").isTrue();
  }

  private LinkClient startGateway(String secret, SslContext tls) {
    LinkSettings settings =
        new LinkSettings(
            new InetSocketAddress("127.0.0.1", linkPort),
            ORG,
            secret,
            Optional.of(tls),
            true,
            Duration.ofMillis(100),
            Duration.ofMillis(500),
            Duration.ofSeconds(3),
            1000);
    LinkClient client =
        new LinkClient(
            settings, atGateway::add, group.next(), NioSocketChannel.class, StreamLimits.DEFAULTS);
    client.start();
    return client;
  }

  private SslContext gatewayTls(IssuedCertificate cert) throws Exception {
    KeyMaterial keys = KeyMaterial.fromPem(cert.certificatePem(), cert.privateKeyPem());
    return SslContextBuilder.forClient()
        .keyManager(keys.privateKey(), keys.certificateChain().toArray(X509Certificate[]::new))
        .trustManager(ca.certificate())
        .protocols(TlsContexts.PROTOCOLS)
        .build();
  }

  private ProxyConfig.Link linkConfig(Duration hold) {
    return new ProxyConfig.Link(
        new InetSocketAddress("127.0.0.1", linkPort),
        SECRET,
        List.of(ca.certificatePath()),
        hold,
        1000);
  }

  private XmppProxy startProxy(String domain, int port, Optional<ProxyConfig.Link> link)
      throws Exception {
    IssuedCertificate cert = ca.issue(domain);
    ProxyConfig config =
        new ProxyConfig(
            Set.of(domain),
            new InetSocketAddress("127.0.0.1", port),
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
                .partners(ORG.equals(domain) ? REMOTE : ORG)
                .build(),
            // Short: a test that leaves stanzas held need not wait the default 10 s at its end.
            new ShutdownSettings(Duration.ofSeconds(1)));
    return XmppProxy.start(config, resolver(), S2sEvents.NONE);
  }

  private TargetResolver resolver() {
    return domain -> {
      int port = ORG.equals(domain) ? proxyPort : REMOTE.equals(domain) ? remotePort : -1;
      if (port < 0) {
        return CompletableFuture.failedFuture(new UnknownHostException(domain));
      }
      return CompletableFuture.completedFuture(
          List.of(new ConnectTarget(new InetSocketAddress("127.0.0.1", port), domain, false)));
    };
  }

  private static Element message(String from, String to, String id) {
    Element message = DocumentHelper.createElement(QName.get("message", "jabber:server"));
    message.addAttribute("from", from);
    message.addAttribute("to", to);
    message.addAttribute("id", id);
    message.addElement(QName.get("body", "jabber:server")).addText("text " + id);
    return message;
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
