package org.passerelle.proxy.s2s;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.model.errors.StanzaCondition;
import org.passerelle.proxy.config.ProxyConfig;
import org.passerelle.proxy.dialback.DialbackKeys;
import org.passerelle.proxy.limits.InboundLimits;
import org.passerelle.proxy.policy.FederationGate;
import org.passerelle.proxy.policy.FederationPolicy;
import org.passerelle.stream.StreamLimits;
import org.passerelle.stream.pki.KeyMaterial;
import org.passerelle.stream.pki.TlsContexts;
import org.passerelle.testpeers.IssuedCertificate;
import org.passerelle.testpeers.TestCa;

/**
 * The receiving entity's negotiation (RFC 6120 §4.3, XEP-0220 §2.2) over an {@link
 * EmbeddedChannel}: what it offers, and what it refuses. TLS itself is covered by the socket tests;
 * here the stream runs in the clear with TLS optional.
 */
class InboundStreamHandlerTest {
  private static final String LOCAL = "passerelle.test";
  private static final String PEER = "p.test";
  private static final String HEADER =
      "<?xml version='1.0'?><stream:stream xmlns='jabber:server'"
          + " xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback'"
          + " to='"
          + LOCAL
          + "' from='"
          + PEER
          + "' version='1.0'>";

  /** Unused by inbound streams on an EmbeddedChannel, but part of the context. */
  private static final Transport TRANSPORT = Transport.nio(1);

  @TempDir Path dir;

  private final List<Element> accepted = new ArrayList<>();
  private final List<String> refused = new ArrayList<>();
  private InboundLimits limits = InboundLimits.DEFAULTS;

  /** Shared by the channels of one test, like the proxy's own. */
  private InboundGuards guards;

  private final InboundStreams streams = new InboundStreams();

  private final List<String> verifyRequests = new ArrayList<>();
  private CompletableFuture<DialbackVerdict> verdict = new CompletableFuture<>();
  private DialbackLedger ledger;
  private DialbackKeys keys;
  private EmbeddedChannel channel;

  @BeforeEach
  void setUp() throws Exception {
    channel = channel(false);
  }

  private EmbeddedChannel channel(boolean tlsRequired) throws Exception {
    IssuedCertificate cert = TestCa.selfSigned(dir, LOCAL);
    KeyMaterial material = KeyMaterial.fromPem(cert.certificatePem(), cert.privateKeyPem());
    ProxyConfig config =
        new ProxyConfig(
            Set.of(LOCAL, "other.test"),
            new InetSocketAddress("127.0.0.1", 5269),
            new ProxyConfig.Tls(
                cert.certificatePem(), cert.privateKeyPem(), null, null, List.of(), tlsRequired),
            new ProxyConfig.Dialback(true, Optional.empty()),
            Map.of(),
            StreamLimits.DEFAULTS,
            new ProxyConfig.Timeouts(
                Duration.ofSeconds(1),
                Duration.ofSeconds(60),
                Duration.ofSeconds(600),
                Duration.ofSeconds(300)),
            100,
            dir,
            Optional.empty(),
            FederationPolicy.builder(ProxyConfig.partnerDefaults(tlsRequired, true))
                .partners(PEER)
                .build());
    config = config.withInbound(limits);
    ledger = new DialbackLedger();
    keys = new DialbackKeys("a secret of some length");
    S2sContext context =
        new S2sContext(
            config,
            TlsContexts.server(material),
            TlsContexts.client(material),
            (chain, domain) -> CertificateChecker.Result.NO_CERTIFICATE,
            keys,
            ledger,
            new StreamIds(),
            TRANSPORT,
            S2sEvents.NONE,
            new FederationGate(config.federation()));
    DialbackVerifier verifier =
        (pair, streamId, key) -> {
          verifyRequests.add(pair.local() + "|" + pair.remote() + "|" + streamId + "|" + key);
          return verdict;
        };
    if (guards == null) {
      guards =
          InboundGuards.of(
              context,
              (stanza, condition, reason) ->
                  refused.add(stanza.attributeValue("id") + " " + condition.elementName()));
    }
    EmbeddedChannel embedded = new EmbeddedChannel();
    S2sPipeline.inbound(
        embedded, context, verifier, (stanza, pair) -> accepted.add(stanza), guards, streams);
    embedded.pipeline().fireChannelActive();
    return embedded;
  }

  @AfterAll
  static void stopTransport() {
    TRANSPORT.group().shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Test
  void answersHeaderWithStreamIdAndOffersStartTlsAndDialback() {
    send(HEADER);

    String out = written();
    assertThat(out).contains("from='" + LOCAL + "'").contains("to='" + PEER + "'");
    assertThat(out).containsPattern("id='[0-9a-f]{32}'");
    assertThat(out).contains("xmlns:db='jabber:server:dialback'");
    assertThat(out).contains("<starttls xmlns=\"urn:ietf:params:xml:ns:xmpp-tls\"/>");
    assertThat(out).contains("urn:xmpp:features:dialback");
  }

  @Test
  void whenTlsIsRequiredOnlyStartTlsIsOffered() throws Exception {
    // RFC 6120 §5.3.1: mandatory-to-negotiate TLS is offered alone.
    channel = channel(true);
    send(HEADER);

    String out = written();
    assertThat(out).contains("<required/>").doesNotContain("urn:xmpp:features:dialback");
  }

  @Test
  void dialbackWithoutTlsIsRefusedWhenTlsIsRequired() throws Exception {
    channel = channel(true);
    send(HEADER);
    written();

    send("<db:result from='" + PEER + "' to='" + LOCAL + "'>abcd</db:result>");

    assertThat(written()).contains("type=\"error\"").contains("policy-violation");
    assertThat(verifyRequests).isEmpty();
  }

  @Test
  void validDialbackAuthenticatesThePairAndStanzasFlow() {
    String streamId = openAndReadStreamId();

    send("<db:result from='" + PEER + "' to='" + LOCAL + "'>abcd</db:result>");
    assertThat(verifyRequests).containsExactly(LOCAL + "|" + PEER + "|" + streamId + "|abcd");
    verdict.complete(DialbackVerdict.VALID);
    channel.runPendingTasks();

    assertThat(written()).contains("type=\"valid\"");
    send("<message from='juliet@p.test/b' to='romeo@passerelle.test'><body>hi</body></message>");
    assertThat(accepted).hasSize(1);
    assertThat(accepted.get(0).elementText("body")).isEqualTo("hi");
  }

  @Test
  void invalidDialbackClosesTheStream() {
    // XEP-0220 §2.2.1: with no other valid pairs, 'invalid' ends the stream.
    openAndReadStreamId();
    send("<db:result from='" + PEER + "' to='" + LOCAL + "'>bad</db:result>");
    verdict.complete(DialbackVerdict.INVALID);
    channel.runPendingTasks();

    assertThat(written()).contains("type=\"invalid\"").contains("</stream:stream>");
  }

  @Test
  void unreachableAuthoritativeServerIsRemoteServerNotFound() {
    // XEP-0220 §2.5
    openAndReadStreamId();
    send("<db:result from='" + PEER + "' to='" + LOCAL + "'>k</db:result>");
    verdict.complete(DialbackVerdict.UNREACHABLE);
    channel.runPendingTasks();

    assertThat(written()).contains("remote-server-not-found");
  }

  @Test
  void dialbackForADomainWeDoNotServeIsItemNotFound() {
    // XEP-0220 §2.2.1: a dialback error, not a stream error.
    openAndReadStreamId();
    send("<db:result from='" + PEER + "' to='elsewhere.test'>k</db:result>");

    assertThat(written()).contains("item-not-found").doesNotContain("stream:error");
    assertThat(channel.isActive()).isTrue();
  }

  @Test
  void stanzaBeforeAuthenticationIsNotAuthorized() {
    // RFC 6120 §4.3.5
    openAndReadStreamId();
    send("<message from='juliet@p.test' to='romeo@passerelle.test'/>");

    assertThat(written()).contains("<not-authorized");
    assertThat(accepted).isEmpty();
  }

  @Test
  void stanzaFromAnotherDomainThanTheAuthenticatedOneIsInvalidFrom() {
    // RFC 6120 §4.9.3.9: a spoofed 'from' ends the stream.
    authenticateByDialback();
    send("<message from='mallory@evil.test' to='romeo@passerelle.test'/>");

    assertThat(written()).contains("<invalid-from");
    assertThat(accepted).isEmpty();
  }

  @Test
  void stanzaForALocalDomainThatWasNotVerifiedIsRefused() {
    // XEP-0220 §2.6: each target domain needs its own dialback.
    authenticateByDialback();
    send("<message from='juliet@p.test' to='someone@other.test'/>");

    assertThat(written()).contains("<invalid-from");
    assertThat(accepted).isEmpty();
  }

  @Test
  void stanzaForADomainWeDoNotServeIsHostUnknown() {
    authenticateByDialback();
    send("<message from='juliet@p.test' to='someone@elsewhere.test'/>");

    assertThat(written()).contains("<host-unknown");
  }

  @Test
  void stanzaWithoutAddressesIsImproperAddressing() {
    // RFC 6120 §8.1.1.2
    authenticateByDialback();
    send("<message to='romeo@passerelle.test'/>");

    assertThat(written()).contains("<improper-addressing");
  }

  @Test
  void unknownTopLevelElementIsUnsupportedStanzaType() {
    authenticateByDialback();
    send("<thing xmlns='jabber:server'/>");

    assertThat(written()).contains("<unsupported-stanza-type");
  }

  @Test
  void clientNamespaceIsInvalidNamespace() {
    // RFC 6120 §4.8.3; COMPAT note in peers.md: Prosody drops jabber:client on S2S.
    send(HEADER.replace("jabber:server", "jabber:client"));

    String out = written();
    assertThat(out).contains("<stream:stream").contains("<invalid-namespace");
    assertThat(channel.isActive()).isFalse();
  }

  @Test
  void streamToADomainWeDoNotServeIsHostUnknown() {
    send(HEADER.replace("to='" + LOCAL + "'", "to='elsewhere.test'"));

    assertThat(written()).contains("<host-unknown");
  }

  @Test
  void malformedXmlGetsAHeaderThenNotWellFormed() {
    // RFC 6120 §4.9.1.2: an error during setup still needs a stream header first.
    send(
        "<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams' to=>");

    String out = written();
    assertThat(out.indexOf("<stream:stream")).isLessThan(out.indexOf("<not-well-formed"));
  }

  @Test
  void authoritativeRoleConfirmsOnlyKeysItSent() {
    // XEP-0220 §2.2.2 and §3.1: a valid HMAC alone is not enough, the key must be ours.
    openAndReadStreamId();
    String key = keys.key(PEER, LOCAL, "s1");

    send("<db:verify from='" + PEER + "' to='" + LOCAL + "' id='s1'>" + key + "</db:verify>");
    assertThat(written()).contains("type=\"invalid\"");

    ledger.recordSent(LOCAL, PEER, "s1");
    send("<db:verify from='" + PEER + "' to='" + LOCAL + "' id='s1'>" + key + "</db:verify>");
    assertThat(written()).contains("type=\"valid\"").contains("id=\"s1\"");

    send(
        "<db:verify from='"
            + PEER
            + "' to='"
            + LOCAL
            + "' id='s1'>"
            + "0"
            + key.substring(1)
            + "</db:verify>");
    assertThat(written()).contains("type=\"invalid\"");
  }

  @Test
  void peerClosingTheStreamIsAnsweredAndClosed() {
    // RFC 6120 §4.4
    openAndReadStreamId();
    send("</stream:stream>");

    assertThat(written()).contains("</stream:stream>");
    assertThat(channel.isActive()).isFalse();
  }

  @Test
  void stanzasBeyondTheDomainsRateAreRefusedThenTheStreamIsCut() {
    // XEP-0205 §3; RFC 6120 §8.3.3.12 for the refusals, §4.9.3.14 for the end of the stream.
    limits = new InboundLimits(10, 10, 10, 1, 3);
    guards = null;
    channel = channelUnchecked();
    authenticateByDialback();

    for (int i = 0; i < 6; i++) {
      send(
          "<message id='m"
              + i
              + "' from='juliet@p.test' to='romeo@passerelle.test'><body>x</body></message>");
    }

    assertThat(accepted).hasSize(3);
    // A bucket of 3: three pass, the next two are refused and run up a debt of 3, the sixth cuts.
    String policyViolation = " " + StanzaCondition.POLICY_VIOLATION.elementName();
    assertThat(refused).containsExactly("m3" + policyViolation, "m4" + policyViolation);
    assertThat(written()).contains("<policy-violation").contains("stanzas per second");
    assertThat(channel.isActive()).isFalse();
  }

  @Test
  void aDomainBeyondItsStreamLimitIsPolicyViolation() {
    limits = new InboundLimits(10, 10, 1, 100, 100);
    guards = null;
    channel = channelUnchecked();
    authenticateByDialback();

    channel = channelUnchecked();
    openAndReadStreamId();
    send("<db:result from='" + PEER + "' to='" + LOCAL + "'>abcd</db:result>");
    verdict.complete(DialbackVerdict.VALID);
    channel.runPendingTasks();

    assertThat(written()).contains("<policy-violation").contains("too many streams from p.test");
  }

  @Test
  void whileTheProxyDrainsDialbackIsRefusedWithSystemShutdownBeforeThePolicyIsAsked() {
    // RFC 6120 §4.9.3.20, decision 13: a stopping proxy takes no new domain, so it spends no
    // policy decision, verification or per-domain stream on one (stranger.test is no partner).
    streams.drain();
    channel = channelUnchecked();
    openAndReadStreamId();

    send("<db:result from='stranger.test' to='" + LOCAL + "'>abcd</db:result>");

    assertThat(written()).contains("<system-shutdown").doesNotContain("type=\"error\"");
    assertThat(verifyRequests).isEmpty();
    assertThat(channel.isActive()).isFalse();
  }

  private EmbeddedChannel channelUnchecked() {
    try {
      return channel(false);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void authenticateByDialback() {
    openAndReadStreamId();
    send("<db:result from='" + PEER + "' to='" + LOCAL + "'>abcd</db:result>");
    verdict.complete(DialbackVerdict.VALID);
    channel.runPendingTasks();
    written();
  }

  private String openAndReadStreamId() {
    send(HEADER);
    String out = written();
    int start = out.indexOf("id='") + 4;
    return out.substring(start, out.indexOf('\'', start));
  }

  private void send(String xml) {
    channel.writeInbound(Unpooled.copiedBuffer(xml, UTF_8));
  }

  private String written() {
    StringBuilder out = new StringBuilder();
    for (ByteBuf buf = channel.readOutbound(); buf != null; buf = channel.readOutbound()) {
      out.append(buf.toString(UTF_8));
      buf.release();
    }
    return out.toString();
  }
}
