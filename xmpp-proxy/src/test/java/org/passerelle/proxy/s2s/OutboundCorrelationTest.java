package org.passerelle.proxy.s2s;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.model.Correlation;
import org.passerelle.model.Namespaces;
import org.passerelle.model.StanzaKind;
import org.passerelle.proxy.config.ProxyConfig;
import org.passerelle.proxy.dialback.DialbackKeys;
import org.passerelle.proxy.dns.ConnectTarget;
import org.passerelle.proxy.policy.FederationGate;
import org.passerelle.proxy.policy.FederationPolicy;
import org.passerelle.stream.StreamLimits;
import org.passerelle.stream.pki.KeyMaterial;
import org.passerelle.stream.pki.TlsContexts;
import org.passerelle.testpeers.IssuedCertificate;
import org.passerelle.testpeers.TestCa;

/**
 * The correlation id is Passerelle's alone: the bytes an outbound stream writes to a remote server
 * never carry it, whatever the stanza carried on its way through the proxy.
 */
class OutboundCorrelationTest {
  private static final Transport TRANSPORT = Transport.nio(1);
  private static final DomainPair PAIR = new DomainPair("a.test", "b.test");

  @TempDir Path dir;

  @AfterAll
  static void stopTransport() {
    TRANSPORT.group().shutdownGracefully(0, 0, TimeUnit.SECONDS);
  }

  @Test
  void theCorrelationIdIsTakenOffBeforeAStanzaIsWrittenToARemoteServer() throws Exception {
    List<StanzaKind> sent = new ArrayList<>();
    List<S2sStream> opened = new ArrayList<>();
    S2sContext context =
        context(
            new S2sEvents() {
              @Override
              public void stanzaSent(StanzaKind kind) {
                sent.add(kind);
              }

              @Override
              public void streamOpened(S2sStream stream) {
                opened.add(stream);
              }
            });
    OutboundSession session =
        new OutboundSession(
            PAIR,
            TRANSPORT.group().next(),
            context,
            domain -> null,
            (stanza, condition, reason) -> {},
            new OutboundStreams(context, domain -> null, (stanza, condition, reason) -> {}));
    EmbeddedChannel channel = new EmbeddedChannel();
    OutboundStreamHandler handler =
        S2sPipeline.outbound(
            channel,
            context,
            session,
            new ConnectTarget(new InetSocketAddress("127.0.0.1", 5269), "b.test", false));
    channel.pipeline().fireChannelActive();
    drain(channel);
    Element message = DocumentHelper.createElement(QName.get("message", Namespaces.SERVER));
    message.addAttribute("from", "bob@a.test").addAttribute("to", "alice@b.test");
    message.addAttribute("id", "m1");
    String id = Correlation.assign(message);
    message.addElement(QName.get("body", Namespaces.SERVER)).addText("hello");

    handler.write(message);
    handler.flush();

    String wire = drain(channel);
    assertThat(wire).contains("id=\"m1\"").contains("hello");
    assertThat(wire).doesNotContain(id).doesNotContain(Correlation.NAMESPACE);
    assertThat(sent).containsExactly(StanzaKind.MESSAGE);
    assertThat(opened).hasSize(1);
    assertThat(opened.get(0).direction()).isEqualTo(S2sStream.Direction.OUTBOUND);
    assertThat(opened.get(0).remote()).isEqualTo("b.test");
  }

  private static String drain(EmbeddedChannel channel) {
    // The pipeline's FlushConsolidationHandler flushes from a task on the loop.
    channel.runPendingTasks();
    StringBuilder text = new StringBuilder();
    for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
      ByteBuf bytes = (ByteBuf) out;
      text.append(bytes.toString(StandardCharsets.UTF_8));
      bytes.release();
    }
    return text.toString();
  }

  private S2sContext context(S2sEvents events) throws Exception {
    IssuedCertificate cert = TestCa.selfSigned(dir, "a.test");
    KeyMaterial material = KeyMaterial.fromPem(cert.certificatePem(), cert.privateKeyPem());
    ProxyConfig config =
        new ProxyConfig(
            Set.of("a.test"),
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
            FederationPolicy.builder(ProxyConfig.partnerDefaults(true, true))
                .partners("b.test")
                .build());
    return new S2sContext(
        config,
        TlsContexts.server(material),
        TlsContexts.client(material),
        (chain, domain) -> CertificateChecker.Result.NO_CERTIFICATE,
        new DialbackKeys("a secret of some length"),
        new DialbackLedger(),
        new StreamIds(),
        TRANSPORT,
        events,
        new FederationGate(config.federation()));
  }
}
