package org.passerelle.proxy.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.passerelle.proxy.XmppProxy;
import org.passerelle.proxy.config.ProxyConfig;
import org.passerelle.proxy.dns.ConnectTarget;
import org.passerelle.proxy.dns.ResolutionRetry;
import org.passerelle.proxy.limits.InboundLimits;
import org.passerelle.proxy.policy.Discovery;
import org.passerelle.proxy.policy.FederationPolicy;
import org.passerelle.proxy.policy.PartnerPolicy;
import org.passerelle.proxy.s2s.S2sEvents;
import org.passerelle.proxy.s2s.TargetResolver;
import org.passerelle.stream.StreamErrorCondition;
import org.passerelle.stream.StreamLimits;
import org.passerelle.testpeers.IssuedCertificate;
import org.passerelle.testpeers.TestCa;

/**
 * Three Passerelle proxies federating over loopback with certificates from one test CA: {@code
 * b.test}, the one under attack, with small limits and short timers; {@code a.test}, a well-behaved
 * peer whose messages to and from {@code b.test} must keep flowing through every attack; and {@code
 * c.test}, a peer that misbehaves (a stanza flood). Attackers are {@link RawS2sPeer}s connecting
 * from the other addresses of 127.0.0.90–99, so that connection limits per address never catch the
 * well-behaved peers (which connect from 127.0.0.1).
 */
final class HostileFederation implements AutoCloseable {
  static final String B = "b.test";
  static final String A = "a.test";
  static final String C = "c.test";
  static final String B_ADDRESS = "127.0.0.90";
  static final String A_ADDRESS = "127.0.0.91";
  static final String C_ADDRESS = "127.0.0.92";

  /** Known to the tests, so that they can forge keys that are cryptographically right. */
  static final String B_DIALBACK_SECRET = "the dialback secret of b.test, for tests";

  /** 16 connections in all, 4 per address, 2 streams per domain, 60 stanzas/s in bursts of 60. */
  static final InboundLimits B_LIMITS = new InboundLimits(16, 4, 2, 60, 60);

  static final StreamLimits B_STREAM = new StreamLimits(16_384, 16, Duration.ofMillis(1_500));

  static final ProxyConfig.Timeouts TIMEOUTS =
      new ProxyConfig.Timeouts(
          Duration.ofSeconds(2),
          Duration.ofSeconds(3),
          Duration.ofSeconds(60),
          Duration.ofSeconds(30));

  final TestCa ca;
  final XmppProxy a;
  final XmppProxy b;
  final XmppProxy c;
  private final Map<String, IssuedCertificate> certificates = new ConcurrentHashMap<>();
  private final Map<String, List<Element>> delivered = new ConcurrentHashMap<>();
  private final List<String> streamErrorsSentByB = new CopyOnWriteArrayList<>();
  private final List<RawS2sPeer> attackers = new ArrayList<>();

  private HostileFederation(Path dir) throws Exception {
    ca = TestCa.create(dir.resolve("ca"));
    Map<String, InetSocketAddress> routes = new ConcurrentHashMap<>();
    TargetResolver resolver =
        domain -> {
          InetSocketAddress address = routes.get(domain);
          if (address == null) {
            return CompletableFuture.failedFuture(new UnknownHostException(domain));
          }
          return CompletableFuture.completedFuture(
              List.of(new ConnectTarget(address, domain, false)));
        };
    S2sEvents bEvents =
        new S2sEvents() {
          @Override
          public void streamErrorSent(
              SocketAddress peer, StreamErrorCondition condition, String text) {
            streamErrorsSentByB.add(condition.elementName() + " " + text);
          }
        };
    b =
        XmppProxy.start(
            config(
                B,
                B_ADDRESS,
                dir,
                B_LIMITS,
                B_STREAM,
                Optional.of(B_DIALBACK_SECRET),
                federation(A, C)),
            resolver,
            bEvents);
    routes.put(B, b.s2sAddress());
    a =
        XmppProxy.start(
            config(
                A,
                A_ADDRESS,
                dir,
                InboundLimits.DEFAULTS,
                StreamLimits.DEFAULTS,
                Optional.empty(),
                federation(B)),
            resolver,
            S2sEvents.NONE);
    routes.put(A, a.s2sAddress());
    c =
        XmppProxy.start(
            config(
                C,
                C_ADDRESS,
                dir,
                InboundLimits.DEFAULTS,
                StreamLimits.DEFAULTS,
                Optional.empty(),
                federation(B)),
            resolver,
            S2sEvents.NONE);
    routes.put(C, c.s2sAddress());
    for (XmppProxy proxy : List.of(a, b, c)) {
      String domain = proxy.config().defaultDomain();
      List<Element> inbox = new CopyOnWriteArrayList<>();
      delivered.put(domain, inbox);
      proxy.attachLocal(inbox::add);
    }
  }

  /** Starts the proxies and waits until a.test and b.test have a stream to each other. */
  static HostileFederation start(Path dir) throws Exception {
    HostileFederation federation = new HostileFederation(dir);
    try (Traffic warmUp = federation.traffic()) {
      warmUp.assertUndisturbed();
    } catch (Exception | AssertionError e) {
      federation.close();
      throw e;
    }
    return federation;
  }

  private ProxyConfig config(
      String domain,
      String address,
      Path dir,
      InboundLimits inbound,
      StreamLimits stream,
      Optional<String> dialbackSecret,
      FederationPolicy federation) {
    IssuedCertificate cert = certificate(domain);
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
        new ProxyConfig.Dialback(true, dialbackSecret),
        Map.of(),
        stream,
        TIMEOUTS,
        1000,
        dir.resolve("data-" + domain),
        Optional.empty(),
        federation,
        inbound,
        ResolutionRetry.DEFAULTS);
  }

  /**
   * The peers of the federation are partners; anyone else federates as a discovered domain, so that
   * attackers get past the federation policy to the limits under test.
   */
  private static FederationPolicy federation(String... partners) {
    PartnerPolicy defaults = ProxyConfig.partnerDefaults(true, true);
    return FederationPolicy.builder(defaults)
        .partners(partners)
        .discovery(Discovery.on(defaults))
        .build();
  }

  /** A certificate from the federation's CA, which every proxy trusts. */
  IssuedCertificate certificate(String domain) {
    return certificates.computeIfAbsent(domain, ca::issue);
  }

  /** An attacker connecting to {@code b.test} from {@code source}; closed by {@link #reset}. */
  RawS2sPeer attacker(String source) throws IOException {
    RawS2sPeer peer = RawS2sPeer.connect(source, b.s2sAddress());
    attackers.add(peer);
    return peer;
  }

  /** What the local side of a domain has received, in order. */
  List<Element> deliveredTo(String domain) {
    return delivered.get(domain);
  }

  /** The stream errors {@code b.test} has sent, as {@code "condition text"}. */
  List<String> streamErrorsSentByB() {
    return streamErrorsSentByB;
  }

  /** Starts messages both ways between a.test and b.test, every 40 ms. */
  Traffic traffic() {
    return new Traffic(this);
  }

  /** Closes the attackers of a test and waits until b.test has let go of their connections. */
  void reset(int connectionsBefore) throws InterruptedException {
    attackers.forEach(RawS2sPeer::close);
    attackers.clear();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (b.inboundConnections() != connectionsBefore && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(b.inboundConnections())
        .as("b.test's connections after the test")
        .isEqualTo(connectionsBefore);
  }

  static Element message(String from, String to, String id) {
    Element message = DocumentHelper.createElement(QName.get("message", "jabber:server"));
    message.addAttribute("from", from);
    message.addAttribute("to", to);
    message.addAttribute("id", id);
    message.addAttribute("type", "chat");
    message.addElement(QName.get("body", "jabber:server")).addText("message " + id);
    return message;
  }

  @Override
  public void close() {
    attackers.forEach(RawS2sPeer::close);
    for (XmppProxy proxy : new XmppProxy[] {a, b, c}) {
      if (proxy != null) {
        proxy.close();
      }
    }
  }
}
