package org.passerelle.proxy.lifecycle;

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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.passerelle.model.config.AdminSettings;
import org.passerelle.model.lifecycle.ShutdownSettings;
import org.passerelle.proxy.XmppProxy;
import org.passerelle.proxy.config.ProxyConfig;
import org.passerelle.proxy.dns.ConnectTarget;
import org.passerelle.proxy.policy.FederationPolicy;
import org.passerelle.proxy.policy.PartnerPolicy;
import org.passerelle.proxy.s2s.S2sEvents;
import org.passerelle.proxy.s2s.TargetResolver;
import org.passerelle.stream.StreamLimits;
import org.passerelle.testpeers.IssuedCertificate;
import org.passerelle.testpeers.TestCa;

/**
 * Two proxies on their own loopback addresses, {@code a.test} (the one stopped in tests) and {@code
 * b.test} (its remote peer), each recording what it delivers locally. Name resolution is in the
 * test's hands: a domain can be made to resolve only when the test says so ({@link #gate}), which
 * keeps a stream "being set up" for as long as a test needs. {@code a.test} serves its admin
 * endpoint on a free port.
 */
final class ProxyPair implements AutoCloseable {
  static final String A = "a.test";
  static final String B = "b.test";
  static final String A_ADDRESS = "127.0.0.150";
  static final String B_ADDRESS = "127.0.0.151";

  final BlockingQueue<Element> atA = new LinkedBlockingQueue<>();
  final BlockingQueue<Element> atB = new LinkedBlockingQueue<>();
  final InetSocketAddress aAddress;
  final InetSocketAddress bAddress;
  XmppProxy a;
  XmppProxy b;

  private final Path dir;
  private final Map<String, CompletableFuture<List<ConnectTarget>>> gates =
      new ConcurrentHashMap<>();

  ProxyPair(Path dir) throws IOException {
    this.dir = dir;
    aAddress = new InetSocketAddress(A_ADDRESS, freePort(A_ADDRESS));
    bAddress = new InetSocketAddress(B_ADDRESS, freePort(B_ADDRESS));
  }

  /** Certificates from one CA, trusted by both: SASL EXTERNAL both ways. */
  void startWithCertificates(Duration drainA) throws Exception {
    TestCa ca = TestCa.create(dir.resolve("ca"));
    List<Path> trust = List.of(ca.certificatePath());
    start(ca.issue(A), ca.issue(B), trust, false, drainA);
  }

  /** Self-signed certificates: TLS, then dialback both ways. */
  void startWithDialback(Duration drainA) throws Exception {
    start(
        TestCa.selfSigned(dir.resolve("a"), A),
        TestCa.selfSigned(dir.resolve("b"), B),
        List.of(),
        true,
        drainA);
  }

  private void start(
      IssuedCertificate certA,
      IssuedCertificate certB,
      List<Path> trust,
      boolean dialback,
      Duration drainA)
      throws Exception {
    a =
        XmppProxy.start(
            config(A, aAddress, certA, trust, dialback, B)
                .withShutdown(new ShutdownSettings(drainA))
                .withAdmin(new AdminSettings(new InetSocketAddress(A_ADDRESS, 0))),
            resolver(),
            S2sEvents.NONE);
    b = XmppProxy.start(config(B, bAddress, certB, trust, dialback, A), resolver(), S2sEvents.NONE);
    a.attachLocal(atA::add);
    b.attachLocal(atB::add);
  }

  /**
   * From now on, {@code domain} resolves only when the returned future is completed (with its
   * targets, or exceptionally).
   */
  CompletableFuture<List<ConnectTarget>> gate(String domain) {
    CompletableFuture<List<ConnectTarget>> gate = new CompletableFuture<>();
    gates.put(domain, gate);
    return gate;
  }

  static List<ConnectTarget> at(InetSocketAddress address, String domain) {
    return List.of(new ConnectTarget(address, domain, false));
  }

  private TargetResolver resolver() {
    return domain -> {
      CompletableFuture<List<ConnectTarget>> gate = gates.get(domain);
      if (gate != null) {
        return gate;
      }
      return switch (domain) {
        case A -> CompletableFuture.completedFuture(at(aAddress, A));
        case B -> CompletableFuture.completedFuture(at(bAddress, B));
        default -> CompletableFuture.failedFuture(new UnknownHostException(domain));
      };
    };
  }

  private ProxyConfig config(
      String domain,
      InetSocketAddress listen,
      IssuedCertificate cert,
      List<Path> trust,
      boolean dialback,
      String partner) {
    PartnerPolicy defaults = ProxyConfig.partnerDefaults(true, dialback);
    return new ProxyConfig(
        Set.of(domain),
        listen,
        new ProxyConfig.Tls(cert.certificatePem(), cert.privateKeyPem(), null, null, trust, true),
        new ProxyConfig.Dialback(dialback, Optional.empty()),
        Map.of(),
        StreamLimits.DEFAULTS,
        new ProxyConfig.Timeouts(
            Duration.ofSeconds(2),
            Duration.ofSeconds(30),
            Duration.ofSeconds(60),
            Duration.ofSeconds(30)),
        1000,
        dir.resolve("data-" + domain),
        Optional.empty(),
        FederationPolicy.builder(defaults).partners(partner, "c.test").build());
  }

  static Element message(String from, String to, String body) {
    Element message = DocumentHelper.createElement(QName.get("message", "jabber:server"));
    message.addAttribute("from", from);
    message.addAttribute("to", to);
    message.addAttribute("id", UUID.randomUUID().toString());
    message.addAttribute("type", "chat");
    message.addElement(QName.get("body", "jabber:server")).addText(body);
    return message;
  }

  static int freePort(String address) throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    gates.values().forEach(g -> g.completeExceptionally(new UnknownHostException("test over")));
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
  }
}
