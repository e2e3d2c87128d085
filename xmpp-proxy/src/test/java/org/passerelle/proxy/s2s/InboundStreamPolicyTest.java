package org.passerelle.proxy.s2s;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.proxy.config.ProxyConfig;
import org.passerelle.proxy.dialback.DialbackKeys;
import org.passerelle.proxy.policy.Discovery;
import org.passerelle.proxy.policy.FederationGate;
import org.passerelle.proxy.policy.FederationPolicy;
import org.passerelle.proxy.policy.PartnerPolicy;
import org.passerelle.stream.StreamLimits;
import org.passerelle.stream.pki.KeyMaterial;
import org.passerelle.stream.pki.TlsContexts;
import org.passerelle.testpeers.IssuedCertificate;
import org.passerelle.testpeers.TestCa;

/**
 * The federation policy where an inbound stream meets it (RFC 6120 §4.9.3, XEP-0220 §2.5): the
 * header's {@code from}, dialback requests, stanzas; and per-partner TLS and dialback overriding
 * the defaults in both directions, with no way around a TLS requirement. Over an {@link
 * EmbeddedChannel}, in the clear: TLS itself is the socket tests' business.
 */
class InboundStreamPolicyTest {
  private static final String LOCAL = "passerelle.test";
  private static final PartnerPolicy TLS_REQUIRED = PartnerPolicy.builder().build();
  private static final PartnerPolicy TLS_OPTIONAL =
      PartnerPolicy.builder().tlsRequired(false).build();
  private static final Transport TRANSPORT = Transport.nio(1);

  @TempDir static Path dir;
  private static IssuedCertificate cert;

  private final List<Element> accepted = new ArrayList<>();
  private final List<String> verifyRequests = new ArrayList<>();
  private final CompletableFuture<DialbackVerdict> verdict = new CompletableFuture<>();
  private FederationGate gate;

  @BeforeAll
  static void certificate() {
    cert = TestCa.selfSigned(dir, LOCAL);
  }

  @AfterAll
  static void stopTransport() {
    TRANSPORT.group().shutdownGracefully(0, 0, TimeUnit.SECONDS);
  }

  // --- the header's 'from' ---

  @Test
  void aBlockedDomainInTheStreamHeaderIsPolicyViolation() throws Exception {
    EmbeddedChannel channel =
        channel(FederationPolicy.builder(TLS_REQUIRED).partners("p.test").block("p.test").build());

    send(channel, header("p.test"));

    String out = written(channel);
    assertThat(out.indexOf("<stream:stream")).isLessThan(out.indexOf("<policy-violation"));
    assertThat(out).contains("p.test is blocked");
    assertThat(channel.isActive()).isFalse();
  }

  @Test
  void anUnlistedDomainIsPolicyViolationWhenDiscoveryIsOff() throws Exception {
    EmbeddedChannel channel =
        channel(FederationPolicy.builder(TLS_REQUIRED).partners("p.test").build());

    send(channel, header("other.test"));

    assertThat(written(channel)).contains("<policy-violation").contains("not a federation partner");
    assertThat(channel.isActive()).isFalse();
  }

  @Test
  void anUnlistedDomainGetsFeaturesWhenDiscoveryIsOn() throws Exception {
    EmbeddedChannel channel =
        channel(
            FederationPolicy.builder(TLS_REQUIRED).discovery(Discovery.on(TLS_REQUIRED)).build());

    send(channel, header("other.test"));

    assertThat(written(channel)).contains("<starttls").doesNotContain("stream:error");
    assertThat(channel.isActive()).isTrue();
  }

  @Test
  void aPartnerBeyondItsConnectionLimitIsPolicyViolationUntilAStreamCloses() throws Exception {
    FederationPolicy policy =
        FederationPolicy.builder(TLS_REQUIRED)
            .partner(TLS_REQUIRED.toBuilder().domains("p.test").maxConnections(1).build())
            .build();
    gate = new FederationGate(policy);
    EmbeddedChannel first = channel(policy);
    EmbeddedChannel second = channel(policy);

    send(first, header("p.test"));
    send(second, header("p.test"));

    assertThat(written(first)).doesNotContain("stream:error");
    assertThat(written(second)).contains("<policy-violation").contains("max-connections");
    first.close();
    EmbeddedChannel third = channel(policy);
    send(third, header("p.test"));
    assertThat(written(third)).doesNotContain("stream:error");
  }

  // --- per-partner TLS, both ways, and no downgrade ---

  @Test
  void aPartnerWithTlsOptionalMayUseDialbackWithoutTlsThoughTheDefaultRequiresIt()
      throws Exception {
    EmbeddedChannel channel =
        channel(
            FederationPolicy.builder(TLS_REQUIRED)
                .partner(TLS_OPTIONAL.toBuilder().domains("p.test").build())
                .build());

    send(channel, header("p.test"));
    String features = written(channel);
    send(channel, "<db:result from='p.test' to='" + LOCAL + "'>k</db:result>");

    assertThat(features).contains("<starttls").doesNotContain("<required/>").contains("dialback");
    assertThat(verifyRequests).hasSize(1);
  }

  @Test
  void aPartnerWithTlsRequiredIsOfferedOnlyStartTlsThoughTheDefaultIsOptional() throws Exception {
    EmbeddedChannel channel =
        channel(
            FederationPolicy.builder(TLS_OPTIONAL)
                .partner(TLS_REQUIRED.toBuilder().domains("p.test").build())
                .build());

    send(channel, header("p.test"));
    String features = written(channel);
    send(channel, "<db:result from='p.test' to='" + LOCAL + "'>k</db:result>");
    String answer = written(channel);
    send(channel, "<message from='a@p.test' to='b@" + LOCAL + "'/>");

    assertThat(features).contains("<required/>").doesNotContain("urn:xmpp:features:dialback");
    assertThat(answer).contains("type=\"error\"").contains("policy-violation");
    assertThat(verifyRequests).isEmpty();
    assertThat(written(channel)).contains("<not-authorized");
    assertThat(accepted).isEmpty();
  }

  @Test
  void omittingFromInTheHeaderDoesNotGetAroundAPartnersTlsRequirement() throws Exception {
    // The header has no 'from', so the defaults (TLS optional) shape the features; the dialback
    // request then names the partner, whose policy requires TLS first.
    EmbeddedChannel channel =
        channel(
            FederationPolicy.builder(TLS_OPTIONAL)
                .partner(TLS_REQUIRED.toBuilder().domains("p.test").build())
                .build());

    send(channel, header(null));
    assertThat(written(channel)).contains("dialback");
    send(channel, "<db:result from='p.test' to='" + LOCAL + "'>k</db:result>");

    assertThat(written(channel)).contains("type=\"error\"").contains("policy-violation");
    assertThat(verifyRequests).isEmpty();
  }

  @Test
  void aPreVersionOnePeerIsRefusedWhenItsPartnerRequiresTls() throws Exception {
    EmbeddedChannel channel =
        channel(
            FederationPolicy.builder(TLS_OPTIONAL)
                .partner(TLS_REQUIRED.toBuilder().domains("p.test").build())
                .build());

    send(channel, header("p.test").replace(" version='1.0'>", ">"));

    assertThat(written(channel)).contains("<unsupported-version");
  }

  // --- dialback requests ---

  @Test
  void dialbackIsNotAuthorizedForAPartnerThatMayNotUseIt() throws Exception {
    EmbeddedChannel channel =
        channel(
            FederationPolicy.builder(TLS_OPTIONAL)
                .partners("p.test")
                .partner(TLS_REQUIRED.toBuilder().domains("q.test").dialback(false).build())
                .build());
    send(channel, header("p.test"));
    written(channel);

    send(channel, "<db:result from='q.test' to='" + LOCAL + "'>k</db:result>");

    assertThat(written(channel)).contains("type=\"error\"").contains("<not-authorized");
    assertThat(verifyRequests).isEmpty();
    assertThat(channel.isActive()).isTrue();
  }

  @Test
  void aBlockedDomainAskingForDialbackOnAPartnersStreamGetsADialbackErrorOnly() throws Exception {
    // XEP-0220 §2.5: errors for one domain pair leave the stream to the others.
    EmbeddedChannel channel =
        channel(FederationPolicy.builder(TLS_OPTIONAL).partners("p.test").block("x.test").build());
    send(channel, header("p.test"));
    written(channel);

    send(channel, "<db:result from='x.test' to='" + LOCAL + "'>k</db:result>");

    assertThat(written(channel)).contains("type=\"error\"").contains("<not-allowed");
    assertThat(verifyRequests).isEmpty();
    assertThat(channel.isActive()).isTrue();
  }

  // --- stanzas after a reload ---

  @Test
  void aStanzaFromADomainBlockedByAReloadEndsTheStream() throws Exception {
    EmbeddedChannel channel =
        channel(FederationPolicy.builder(TLS_OPTIONAL).partners("p.test").build());
    authenticate(channel, "p.test");

    gate.install(FederationPolicy.builder(TLS_OPTIONAL).block("p.test").build());
    send(channel, "<message from='a@p.test' to='b@" + LOCAL + "'><body>hi</body></message>");

    assertThat(written(channel)).contains("<policy-violation").contains("p.test is blocked");
    assertThat(accepted).isEmpty();
  }

  // --- keepalives ---

  @Test
  void keepalivesFollowThePartnersSetting() throws Exception {
    FederationPolicy policy =
        FederationPolicy.builder(TLS_OPTIONAL)
            .partners("p.test")
            .partner(TLS_OPTIONAL.toBuilder().domains("q.test").keepalive(false).build())
            .build();
    EmbeddedChannel on = channel(policy);
    EmbeddedChannel off = channel(policy);
    authenticate(on, "p.test");
    authenticate(off, "q.test");

    on.pipeline().fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
    off.pipeline().fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
    // The flush consolidation handler flushes from a task when no read is in progress.
    on.runPendingTasks();
    off.runPendingTasks();

    assertThat(written(on)).isEqualTo(" ");
    assertThat(written(off)).isEmpty();
  }

  private void authenticate(EmbeddedChannel channel, String domain) {
    send(channel, header(domain));
    send(channel, "<db:result from='" + domain + "' to='" + LOCAL + "'>k</db:result>");
    verdict.complete(DialbackVerdict.VALID);
    channel.runPendingTasks();
    assertThat(written(channel)).contains("type=\"valid\"");
  }

  /** A channel sharing the test's gate (made from {@code policy} on first use). */
  private EmbeddedChannel channel(FederationPolicy policy) throws Exception {
    if (gate == null) {
      gate = new FederationGate(policy);
    }
    KeyMaterial material = KeyMaterial.fromPem(cert.certificatePem(), cert.privateKeyPem());
    ProxyConfig config =
        new ProxyConfig(
            Set.of(LOCAL),
            new InetSocketAddress("127.0.0.1", 5269),
            new ProxyConfig.Tls(
                cert.certificatePem(), cert.privateKeyPem(), null, null, List.of(), true),
            new ProxyConfig.Dialback(true, Optional.empty()),
            Map.of(),
            StreamLimits.DEFAULTS,
            ProxyConfig.Timeouts.DEFAULTS,
            100,
            dir,
            Optional.empty(),
            policy);
    S2sContext context =
        new S2sContext(
            config,
            TlsContexts.server(material),
            TlsContexts.client(material),
            (chain, domain) -> CertificateChecker.Result.NO_CERTIFICATE,
            new DialbackKeys("a secret of some length"),
            new DialbackLedger(),
            new StreamIds(),
            TRANSPORT,
            S2sEvents.NONE,
            gate);
    DialbackVerifier verifier =
        (pair, streamId, key) -> {
          verifyRequests.add(pair.toString());
          return verdict;
        };
    EmbeddedChannel channel = new EmbeddedChannel();
    S2sPipeline.inbound(
        channel,
        context,
        verifier,
        (stanza, pair) -> accepted.add(stanza),
        InboundGuards.of(context, (stanza, condition, reason) -> {}),
        new InboundStreams());
    channel.pipeline().fireChannelActive();
    return channel;
  }

  private static String header(String from) {
    return "<?xml version='1.0'?><stream:stream xmlns='jabber:server'"
        + " xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback'"
        + " to='"
        + LOCAL
        + "'"
        + (from == null ? "" : " from='" + from + "'")
        + " version='1.0'>";
  }

  private static void send(EmbeddedChannel channel, String xml) {
    channel.writeInbound(Unpooled.copiedBuffer(xml, UTF_8));
  }

  private static String written(EmbeddedChannel channel) {
    StringBuilder out = new StringBuilder();
    for (Object msg = channel.readOutbound(); msg != null; msg = channel.readOutbound()) {
      ByteBuf buf = (ByteBuf) msg;
      out.append(buf.toString(UTF_8));
      buf.release();
    }
    return out.toString();
  }
}
