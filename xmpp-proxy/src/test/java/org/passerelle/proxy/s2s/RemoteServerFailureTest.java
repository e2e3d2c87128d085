package org.passerelle.proxy.s2s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.model.StanzaErrors;
import org.passerelle.proxy.XmppProxy;
import org.passerelle.proxy.config.ProxyConfig;
import org.passerelle.proxy.dns.ConnectTarget;
import org.passerelle.proxy.dns.DomainResolutionException;
import org.passerelle.proxy.dns.DomainResolutionException.Reason;
import org.passerelle.proxy.dns.Lookups;
import org.passerelle.proxy.dns.ResolutionRetry;
import org.passerelle.proxy.dns.RetryingResolver;
import org.passerelle.proxy.limits.InboundLimits;
import org.passerelle.stream.StreamLimits;
import org.passerelle.testpeers.TestCa;
import org.xmpp.packet.PacketError;

/**
 * Remote servers that are down, slow, or cannot be found, and DNS that fails: every stanza sent to
 * them is either delivered or comes back to its sender with the error RFC 6120 §10.4.3 names, never
 * lost. a.test (127.0.0.91) sends; b.test (127.0.0.90) is a working peer; the broken "servers"
 * listen on 127.0.0.93–94. The proxies are shared by the tests; each test uses domains of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteServerFailureTest {
  private static final Duration ESTABLISH = Duration.ofSeconds(2);
  private static final ResolutionRetry FAST_RETRY =
      new ResolutionRetry(Duration.ofSeconds(30), 2, Duration.ofMillis(100));

  @TempDir static Path dir;

  private final Map<String, InetSocketAddress> routes = new ConcurrentHashMap<>();
  private final Map<String, Resolve> special = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
  private final BlockingQueue<Element> atA = new LinkedBlockingQueue<>();
  private final BlockingQueue<Element> atB = new LinkedBlockingQueue<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private TestCa ca;
  private XmppProxy a;
  private XmppProxy b;

  /** How a test's domain resolves. */
  @FunctionalInterface
  private interface Resolve {
    CompletionStage<List<ConnectTarget>> resolve(String domain);
  }

  @BeforeAll
  void start() throws Exception {
    ca = TestCa.create(dir.resolve("ca"));
    TargetResolver direct =
        domain -> {
          asked.computeIfAbsent(domain, d -> new AtomicInteger()).incrementAndGet();
          Resolve resolve = special.get(domain);
          if (resolve != null) {
            return resolve.resolve(domain);
          }
          InetSocketAddress address = routes.get(domain);
          if (address == null) {
            return CompletableFuture.failedFuture(
                new DomainResolutionException(domain, Reason.NO_ADDRESS, Lookups.none(), ""));
          }
          return CompletableFuture.completedFuture(
              List.of(new ConnectTarget(address, domain, false)));
        };
    RetryingResolver retrying = new RetryingResolver(direct::resolve, FAST_RETRY);
    b = XmppProxy.start(config("b.test", "127.0.0.90", 1000), direct, S2sEvents.NONE);
    routes.put("b.test", b.s2sAddress());
    a = XmppProxy.start(config("a.test", "127.0.0.91", 5), retrying::resolve, S2sEvents.NONE);
    routes.put("a.test", a.s2sAddress());
    a.attachLocal(atA::add);
    b.attachLocal(atB::add);
  }

  @BeforeEach
  void forgetEarlierTests() {
    atA.clear();
    atB.clear();
  }

  @AfterEach
  void stopBrokenServers() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    closeables.clear();
  }

  @AfterAll
  void stop() {
    for (XmppProxy proxy : new XmppProxy[] {a, b}) {
      if (proxy != null) {
        proxy.close();
      }
    }
  }

  @Test
  void silentServerBouncesEveryQueuedStanzaWithRemoteServerTimeout() throws Exception {
    // Accepts TCP and then says nothing: the stream is never set up within the establish time.
    routes.put("silent.test", blackHole("127.0.0.93"));

    for (int i = 0; i < 5; i++) {
      a.sendFromLocal(message("x@silent.test", "m" + i));
    }

    assertBounced(
        List.of("m0", "m1", "m2", "m3", "m4"), PacketError.Condition.remote_server_timeout);
  }

  @Test
  void serverThatHangsUpBouncesWithRemoteServerTimeout() throws Exception {
    routes.put("hangup.test", hangUp("127.0.0.94"));

    a.sendFromLocal(message("x@hangup.test", "m1"));

    assertBounced(List.of("m1"), PacketError.Condition.remote_server_timeout);
  }

  @Test
  void fullOutboundQueueBouncesTheOverflowAtOnceWithResourceConstraint() throws Exception {
    // a.test holds 5 stanzas per remote domain while its stream is being set up.
    routes.put("full.test", blackHole("127.0.0.93"));

    for (int i = 0; i < 8; i++) {
      a.sendFromLocal(message("x@full.test", "m" + i));
    }

    assertBounced(List.of("m5", "m6", "m7"), PacketError.Condition.resource_constraint);
    assertBounced(
        List.of("m0", "m1", "m2", "m3", "m4"), PacketError.Condition.remote_server_timeout);
  }

  @Test
  void dnsFailuresAreRetriedAndTheStanzaIsDeliveredWhenDnsAnswers() throws Exception {
    AtomicInteger failures = new AtomicInteger();
    special.put(
        "b.test",
        domain ->
            failures.incrementAndGet() <= 2
                ? CompletableFuture.failedFuture(
                    new DomainResolutionException(
                        domain, Reason.DNS_UNAVAILABLE, Lookups.none(), "SERVFAIL"))
                : CompletableFuture.completedFuture(
                    List.of(new ConnectTarget(routes.get("b.test"), domain, false))));

    a.sendFromLocal(message("bob@b.test", "m1"));

    Element delivered = atB.poll(10, TimeUnit.SECONDS);
    assertThat(delivered).isNotNull();
    assertThat(delivered.attributeValue("id")).isEqualTo("m1");
    assertThat(failures).hasValue(3);
  }

  @Test
  void dnsThatStaysDownBouncesRemoteServerNotFoundAndIsNotAskedAgainForAWhile() throws Exception {
    special.put(
        "down.test",
        domain ->
            CompletableFuture.failedFuture(
                new DomainResolutionException(
                    domain, Reason.DNS_UNAVAILABLE, Lookups.none(), "SERVFAIL")));

    a.sendFromLocal(message("x@down.test", "m1"));
    assertBounced(List.of("m1"), PacketError.Condition.remote_server_not_found);
    int askedAfterFirst = asked.get("down.test").get();
    a.sendFromLocal(message("x@down.test", "m2"));
    assertBounced(List.of("m2"), PacketError.Condition.remote_server_not_found);

    assertThat(askedAfterFirst).isEqualTo(1 + FAST_RETRY.retries());
    assertThat(asked.get("down.test")).hasValue(askedAfterFirst);
  }

  @Test
  void nonexistentDomainBouncesRemoteServerNotFoundWithoutRetry() throws Exception {
    a.sendFromLocal(message("x@nowhere.test", "m1"));
    a.sendFromLocal(message("y@nowhere.test", "m2"));

    assertBounced(List.of("m1", "m2"), PacketError.Condition.remote_server_not_found);
    assertThat(asked.get("nowhere.test")).hasValue(1);
  }

  @Test
  void dnsSlowerThanTheEstablishTimeBouncesRemoteServerNotFound() throws Exception {
    special.put("slowdns.test", domain -> new CompletableFuture<>());

    a.sendFromLocal(message("x@slowdns.test", "m1"));

    assertBounced(List.of("m1"), PacketError.Condition.remote_server_not_found);
  }

  private void assertBounced(List<String> ids, PacketError.Condition condition)
      throws InterruptedException {
    List<String> bounced = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      Element bounce = atA.poll(10, TimeUnit.SECONDS);
      assertThat(bounce).as("bounce %s of %s", i + 1, ids).isNotNull();
      assertThat(bounce.attributeValue("type")).isEqualTo("error");
      assertThat(StanzaErrors.conditionOf(bounce)).as(bounce.asXML()).isEqualTo(condition);
      bounced.add(bounce.attributeValue("id"));
    }
    assertThat(bounced).containsExactlyInAnyOrderElementsOf(ids);
  }

  /** A server that accepts connections and never answers. */
  private InetSocketAddress blackHole(String address) throws IOException {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(address, 0));
    List<Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread acceptor =
        new Thread(
            () -> {
              try {
                while (true) {
                  held.add(server.accept());
                }
              } catch (IOException closed) {
                // The test is over.
              }
            },
            "black-hole");
    acceptor.setDaemon(true);
    acceptor.start();
    closeables.add(server);
    closeables.add(() -> held.forEach(RemoteServerFailureTest::closeQuietly));
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  /** A server that accepts connections and closes them at once. */
  private InetSocketAddress hangUp(String address) throws IOException {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(address, 0));
    Thread acceptor =
        new Thread(
            () -> {
              try {
                while (true) {
                  server.accept().close();
                }
              } catch (IOException closed) {
                // The test is over.
              }
            },
            "hang-up");
    acceptor.setDaemon(true);
    acceptor.start();
    closeables.add(server);
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Closed either way.
    }
  }

  private ProxyConfig config(String domain, String address, int queue) {
    var cert = ca.issue(domain);
    return new ProxyConfig(
        Set.of(domain),
        new InetSocketAddress(address, 0),
        new ProxyConfig.Tls(
            cert.certificatePem(),
            cert.privateKeyPem(),
            null,
            null,
            List.of(ca.certificatePath()),
            true),
        new ProxyConfig.Dialback(true, Optional.empty()),
        Map.of(),
        StreamLimits.DEFAULTS,
        new ProxyConfig.Timeouts(
            Duration.ofSeconds(1), ESTABLISH, Duration.ofSeconds(60), Duration.ofSeconds(30)),
        queue,
        dir.resolve("data-" + domain),
        Optional.empty(),
        ProxyPairFederationTest.openFederation(domain.equals("a.test") ? "b.test" : "a.test", true),
        InboundLimits.DEFAULTS,
        FAST_RETRY);
  }

  private static Element message(String to, String id) {
    Element message = DocumentHelper.createElement(QName.get("message", "jabber:server"));
    message.addAttribute("from", "alice@a.test/desk");
    message.addAttribute("to", to);
    message.addAttribute("id", id);
    message.addElement(QName.get("body", "jabber:server")).addText("are you there?");
    return message;
  }
}
