package org.passerelle.proxy.s2s;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.model.StanzaErrors;
import org.passerelle.model.config.AdminSettings;
import org.passerelle.proxy.XmppProxy;
import org.passerelle.proxy.config.ProxyConfig;
import org.passerelle.proxy.dns.ConnectTarget;
import org.passerelle.proxy.policy.Discovery;
import org.passerelle.proxy.policy.FederationPolicy;
import org.passerelle.proxy.policy.PartnerPolicy;
import org.passerelle.proxy.policy.SaslExternal;
import org.passerelle.stream.StreamLimits;
import org.passerelle.testpeers.AdminClient;
import org.passerelle.testpeers.IssuedCertificate;
import org.passerelle.testpeers.TestCa;
import org.xmpp.packet.PacketError;

/**
 * Two Passerelle proxies federating with each other over loopback: the whole S2S path (STARTTLS,
 * SASL EXTERNAL or dialback in all three roles, routing, bounces) with real sockets, in one JVM.
 */
class ProxyPairFederationTest {
  /** Each proxy's admin endpoint, on a free port of its own loopback address. */
  private static final String ADMIN_A = "127.0.0.141";

  private static final String ADMIN_B = "127.0.0.142";

  @TempDir Path dir;

  private XmppProxy a;
  private XmppProxy b;
  private final BlockingQueue<Element> atA = new LinkedBlockingQueue<>();
  private final BlockingQueue<Element> atB = new LinkedBlockingQueue<>();

  @AfterEach
  void stop() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
  }

  @Test
  void certificatesFromATrustedCaAuthenticateWithSaslExternal() throws Exception {
    TestCa ca = TestCa.create(dir.resolve("ca"));
    start(ca.issue("a.test"), ca.issue("b.test"), List.of(ca.certificatePath()), false);

    a.sendFromLocal(message("alice@a.test/phone", "bob@b.test", "m1", "hello over EXTERNAL"));
    Element received = atB.poll(10, TimeUnit.SECONDS);

    assertThat(received).isNotNull();
    assertThat(received.attributeValue("from")).isEqualTo("alice@a.test/phone");
    assertThat(received.elementText("body")).isEqualTo("hello over EXTERNAL");
  }

  @Test
  void selfSignedCertificatesFallBackToDialbackInBothDirections() throws Exception {
    IssuedCertificate certA = TestCa.selfSigned(dir.resolve("a"), "a.test");
    IssuedCertificate certB = TestCa.selfSigned(dir.resolve("b"), "b.test");
    start(certA, certB, List.of(), true);

    a.sendFromLocal(message("alice@a.test", "bob@b.test", "m1", "via dialback"));
    b.sendFromLocal(message("bob@b.test", "alice@a.test", "m2", "and back"));

    assertThat(atB.poll(10, TimeUnit.SECONDS).elementText("body")).isEqualTo("via dialback");
    assertThat(atA.poll(10, TimeUnit.SECONDS).elementText("body")).isEqualTo("and back");
  }

  @Test
  void manyStanzasReuseOneStreamAndArriveInOrder() throws Exception {
    TestCa ca = TestCa.create(dir.resolve("ca"));
    start(ca.issue("a.test"), ca.issue("b.test"), List.of(ca.certificatePath()), false);

    for (int i = 0; i < 500; i++) {
      a.sendFromLocal(message("alice@a.test", "bob@b.test", "m" + i, "n" + i));
    }
    for (int i = 0; i < 500; i++) {
      Element received = atB.poll(10, TimeUnit.SECONDS);
      assertThat(received).isNotNull();
      assertThat(received.attributeValue("id")).isEqualTo("m" + i);
    }
    assertThat(a.router().outbound().pairs()).hasSize(1);
  }

  @Test
  void stanzaForALocalAddressWithoutGatewayIsAnsweredServiceUnavailable() throws Exception {
    TestCa ca = TestCa.create(dir.resolve("ca"));
    start(ca.issue("a.test"), ca.issue("b.test"), List.of(ca.certificatePath()), false);
    b.attachLocal(null);

    a.sendFromLocal(message("alice@a.test", "nobody@b.test", "m1", "anyone?"));
    Element bounce = atA.poll(10, TimeUnit.SECONDS);

    assertThat(bounce).isNotNull();
    assertThat(bounce.attributeValue("type")).isEqualTo("error");
    assertThat(bounce.attributeValue("id")).isEqualTo("m1");
    assertThat(bounce.attributeValue("from")).isEqualTo("nobody@b.test");
    assertThat(StanzaErrors.conditionOf(bounce))
        .isEqualTo(PacketError.Condition.service_unavailable);
  }

  @Test
  void unresolvableDomainBouncesRemoteServerNotFound() throws Exception {
    TestCa ca = TestCa.create(dir.resolve("ca"));
    start(ca.issue("a.test"), ca.issue("b.test"), List.of(ca.certificatePath()), false);

    a.sendFromLocal(message("alice@a.test", "x@nowhere.test", "m1", "lost?"));
    Element bounce = atA.poll(10, TimeUnit.SECONDS);

    assertThat(StanzaErrors.conditionOf(bounce))
        .isEqualTo(PacketError.Condition.remote_server_not_found);
  }

  @Test
  void unreachableServerBouncesRemoteServerTimeout() throws Exception {
    TestCa ca = TestCa.create(dir.resolve("ca"));
    start(ca.issue("a.test"), ca.issue("b.test"), List.of(ca.certificatePath()), false);

    a.sendFromLocal(message("alice@a.test", "x@down.test", "m1", "hello?"));
    a.sendFromLocal(message("alice@a.test", "x@down.test", "m2", "still there?"));

    for (String id : List.of("m1", "m2")) {
      Element bounce = atA.poll(10, TimeUnit.SECONDS);
      assertThat(bounce.attributeValue("id")).isEqualTo(id);
      assertThat(StanzaErrors.conditionOf(bounce))
          .isEqualTo(PacketError.Condition.remote_server_timeout);
    }
  }

  // --- what operators see ---

  @Test
  void aFederatedMessageIsCountedOnBothSidesAndItsStreamsShownByPartner() throws Exception {
    TestCa ca = TestCa.create(dir.resolve("ca"));
    start(ca.issue("a.test"), ca.issue("b.test"), List.of(ca.certificatePath()), false);
    AdminClient adminA = new AdminClient(a.adminAddress().orElseThrow());
    AdminClient adminB = new AdminClient(b.adminAddress().orElseThrow());

    a.sendFromLocal(message("alice@a.test", "bob@b.test", "m1", "counted"));
    assertThat(atB.poll(10, TimeUnit.SECONDS)).isNotNull();
    a.sendFromLocal(message("alice@a.test", "x@nowhere.test", "m2", "lost"));
    assertThat(atA.poll(10, TimeUnit.SECONDS)).isNotNull();

    AdminClient.Metrics atSender = adminA.metrics();
    assertThat(atSender.value(S2S, "direction=\"outbound\",kind=\"message\"")).hasValue(1);
    assertThat(atSender.value(S2S, "direction=\"inbound\",kind=\"message\"")).hasValue(0);
    assertThat(
            atSender.value(
                STREAMS, "direction=\"outbound\",partner=\"b.test\",state=\"established\""))
        .hasValue(1);
    assertThat(
            atSender.value(
                STREAMS, "direction=\"inbound\",partner=\"b.test\",state=\"established\""))
        .hasValue(0);
    assertThat(
            atSender.value(
                STREAMS, "direction=\"outbound\",partner=\"other\",state=\"established\""))
        .hasValue(0);
    assertThat(
            atSender.value(
                "passerelle_proxy_bounces_total", "condition=\"remote-server-not-found\""))
        .hasValue(1);
    assertThat(atSender.value("passerelle_proxy_s2s_outbound_queued", "")).hasValue(0);
    AdminClient.Metrics atReceiver = adminB.metrics();
    assertThat(atReceiver.value(S2S, "direction=\"inbound\",kind=\"message\"")).hasValue(1);
    assertThat(
            atReceiver.value(
                STREAMS, "direction=\"inbound\",partner=\"a.test\",state=\"established\""))
        .hasValue(1);

    assertThat(adminA.get("/health/ready")).isEqualTo(new AdminClient.Answer(200, "ready\n"));
    String status = adminA.get("/status").body();
    assertThat(status).contains("<td>b.test</td>").contains("connected").contains("sasl_external");
  }

  // --- federation policy and certificates ---

  @Test
  void aStanzaForABlockedDomainIsBouncedNotAllowedWithoutAConnection() throws Exception {
    TestCa ca = TestCa.create(dir.resolve("ca"));
    PartnerPolicy defaults = ProxyConfig.partnerDefaults(true, false);
    start(
        ca.issue("a.test"),
        List.of(ca.certificatePath()),
        FederationPolicy.builder(defaults).partners("b.test").block("b.test").build(),
        ca.issue("b.test"),
        List.of(ca.certificatePath()),
        openFederation("a.test", false));

    a.sendFromLocal(message("alice@a.test", "bob@b.test", "m1", "blocked?"));
    Element bounce = atA.poll(10, TimeUnit.SECONDS);

    assertThat(StanzaErrors.conditionOf(bounce)).isEqualTo(PacketError.Condition.not_allowed);
    assertThat(bounce.asXML()).contains("b.test is blocked");
    assertThat(a.router().outbound().pairs()).isEmpty();
  }

  @Test
  void aStreamFromADomainTheReceiverBlocksIsRefusedAndTheSenderBouncesNotAllowed()
      throws Exception {
    // The receiver refuses at the stream header (policy-violation, RFC 6120 §4.9.3.12); the
    // sender bounces what it queued with the receiver's reason.
    TestCa ca = TestCa.create(dir.resolve("ca"));
    PartnerPolicy defaults = ProxyConfig.partnerDefaults(true, false);
    start(
        ca.issue("a.test"),
        List.of(ca.certificatePath()),
        openFederation("b.test", false),
        ca.issue("b.test"),
        List.of(ca.certificatePath()),
        FederationPolicy.builder(defaults).block("a.test").build());

    a.sendFromLocal(message("alice@a.test", "bob@b.test", "m1", "let me in"));
    Element bounce = atA.poll(10, TimeUnit.SECONDS);

    assertThat(StanzaErrors.conditionOf(bounce)).isEqualTo(PacketError.Condition.not_allowed);
    assertThat(bounce.asXML()).contains("policy-violation").contains("a.test is blocked");
    assertThat(atB).isEmpty();
  }

  @Test
  void aPartnerRequiringCertificatesIsLeftWhenItsCertificateNamesAnotherDomain() throws Exception {
    // RFC 6120 §13.7.2.1: the initiator checks the receiver's certificate against the 'to' it
    // sent; here b.test presents a trusted certificate for other.test.
    TestCa ca = TestCa.create(dir.resolve("ca"));
    PartnerPolicy defaults = ProxyConfig.partnerDefaults(true, true);
    start(
        ca.issue("a.test"),
        List.of(ca.certificatePath()),
        FederationPolicy.builder(defaults)
            .partner(
                defaults.toBuilder().domains("b.test").saslExternal(SaslExternal.REQUIRED).build())
            .build(),
        ca.issue("other.test"),
        List.of(ca.certificatePath()),
        openFederation("a.test", true));

    a.sendFromLocal(message("alice@a.test", "bob@b.test", "m1", "who are you?"));
    Element bounce = atA.poll(10, TimeUnit.SECONDS);

    assertThat(StanzaErrors.conditionOf(bounce))
        .isEqualTo(PacketError.Condition.remote_server_timeout);
    assertThat(bounce.asXML())
        .contains("b.test must prove its domain with a certificate")
        .contains("not b.test");
    assertThat(atB).isEmpty();
  }

  @Test
  void aCertificateFromACaTheReceiverDoesNotTrustIsNotEnoughForSaslExternal() throws Exception {
    // tls.trust decides: b.test trusts only its own CA, so a.test's certificate proves nothing
    // and, with dialback off, nothing authenticates a.test.
    TestCa caA = TestCa.create(dir.resolve("ca-a"));
    TestCa caB = TestCa.create(dir.resolve("ca-b"));
    start(
        caA.issue("a.test"),
        List.of(caA.certificatePath(), caB.certificatePath()),
        openFederation("b.test", false),
        caB.issue("b.test"),
        List.of(caB.certificatePath()),
        openFederation("a.test", false));

    a.sendFromLocal(message("alice@a.test", "bob@b.test", "m1", "trust me"));
    Element bounce = atA.poll(10, TimeUnit.SECONDS);

    assertThat(StanzaErrors.conditionOf(bounce))
        .isEqualTo(PacketError.Condition.internal_server_error);
    assertThat(bounce.asXML()).contains("no authentication method in common");
    assertThat(atB).isEmpty();
  }

  @Test
  void aReloadThatBlocksAPartnerEndsItsSessionAndBouncesWhatFollows() throws Exception {
    TestCa ca = TestCa.create(dir.resolve("ca"));
    start(ca.issue("a.test"), ca.issue("b.test"), List.of(ca.certificatePath()), false);
    a.sendFromLocal(message("alice@a.test", "bob@b.test", "m1", "before"));
    assertThat(atB.poll(10, TimeUnit.SECONDS)).isNotNull();

    a.federation()
        .install(
            FederationPolicy.builder(ProxyConfig.partnerDefaults(true, false))
                .block("b.test")
                .build());
    a.sendFromLocal(message("alice@a.test", "bob@b.test", "m2", "after"));

    assertThat(StanzaErrors.conditionOf(atA.poll(10, TimeUnit.SECONDS)))
        .isEqualTo(PacketError.Condition.not_allowed);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!a.router().outbound().pairs().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(a.router().outbound().pairs()).isEmpty();
  }

  private static final String S2S = "passerelle_proxy_s2s_stanzas_total";
  private static final String STREAMS = "passerelle_proxy_s2s_streams";

  private void start(
      IssuedCertificate certA, IssuedCertificate certB, List<Path> trust, boolean dialback)
      throws Exception {
    start(
        certA,
        trust,
        openFederation("b.test", dialback),
        certB,
        trust,
        openFederation("a.test", dialback));
  }

  private void start(
      IssuedCertificate certA,
      List<Path> trustA,
      FederationPolicy policyA,
      IssuedCertificate certB,
      List<Path> trustB,
      FederationPolicy policyB)
      throws Exception {
    int portA = freePort();
    int portB = freePort();
    int closedPort = freePort();
    Map<String, Integer> ports = Map.of("a.test", portA, "b.test", portB, "down.test", closedPort);
    TargetResolver resolver =
        domain -> {
          Integer port = ports.get(domain);
          if (port == null) {
            return CompletableFuture.failedFuture(new UnknownHostException(domain));
          }
          return CompletableFuture.completedFuture(
              List.of(
                  new ConnectTarget(new InetSocketAddress("127.0.0.1", port), "localhost", false)));
        };
    a = XmppProxy.start(config("a.test", portA, certA, trustA, policyA), resolver, S2sEvents.NONE);
    b = XmppProxy.start(config("b.test", portB, certB, trustB, policyB), resolver, S2sEvents.NONE);
    a.attachLocal(atA::add);
    b.attachLocal(atB::add);
  }

  private ProxyConfig config(
      String domain, int port, IssuedCertificate cert, List<Path> trust, FederationPolicy policy) {
    boolean dialback = policy.defaults().dialback();
    return new ProxyConfig(
            java.util.Set.of(domain),
            new InetSocketAddress("127.0.0.1", port),
            new ProxyConfig.Tls(
                cert.certificatePem(), cert.privateKeyPem(), null, null, trust, true),
            new ProxyConfig.Dialback(dialback, Optional.empty()),
            Map.of(),
            StreamLimits.DEFAULTS,
            new ProxyConfig.Timeouts(
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                Duration.ofSeconds(60),
                Duration.ofSeconds(30)),
            1000,
            dir.resolve("data-" + domain),
            Optional.empty(),
            policy)
        .withAdmin(
            new AdminSettings(
                new InetSocketAddress(domain.equals("a.test") ? ADMIN_A : ADMIN_B, 0)));
  }

  /** Each proxy is the other's partner; any other domain federates as discovered. */
  static FederationPolicy openFederation(String partner, boolean dialback) {
    PartnerPolicy defaults = ProxyConfig.partnerDefaults(true, dialback);
    return FederationPolicy.builder(defaults)
        .partners(partner)
        .discovery(Discovery.on(defaults))
        .build();
  }

  private static Element message(String from, String to, String id, String body) {
    Element message = DocumentHelper.createElement(org.dom4j.QName.get("message", "jabber:server"));
    message.addAttribute("from", from);
    message.addAttribute("to", to);
    message.addAttribute("id", id);
    message.addAttribute("type", "chat");
    message.addElement(org.dom4j.QName.get("body", "jabber:server")).addText(body);
    return message;
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
