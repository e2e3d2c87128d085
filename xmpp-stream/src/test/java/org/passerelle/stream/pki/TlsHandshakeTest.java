package org.passerelle.stream.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.passerelle.stream.pki.TestCertificates.certificate;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.passerelle.stream.pki.TestCertificates.Issued;
import org.passerelle.stream.pki.VerificationResult.Status;

/**
 * Handshakes between our server and client contexts over two in-memory channels: capulet.example
 * (client) opens a stream to montague.example (server).
 */
class TlsHandshakeTest {

  private static final Issued CA = TestCertificates.ca("Federation CA");
  private static final Issued MONTAGUE =
      certificate("montague").dnsName("montague.example").issuedBy(CA);
  private static final Issued CAPULET =
      certificate("capulet").dnsName("capulet.example").issuedBy(CA);
  private static final int XMPP_SERVER_PORT = 5269; // RFC 6120 §3.2.2

  private final PeerCertificateVerifier verifier =
      new PeerCertificateVerifier(TrustAnchors.of(List.of(CA.certificate())));

  private EmbeddedChannel server;
  private EmbeddedChannel client;

  @AfterEach
  void close() {
    if (server != null) {
      server.finishAndReleaseAll();
    }
    if (client != null) {
      client.finishAndReleaseAll();
    }
  }

  private static KeyMaterial keyMaterial(Issued leaf) {
    return KeyMaterial.of(leaf.privateKey(), List.of(leaf.certificate(), CA.certificate()));
  }

  private void handshake(SslContext serverContext, SslContext clientContext, String remoteHost) {
    server = new EmbeddedChannel(serverContext.newHandler(ByteBufAllocator.DEFAULT));
    client =
        new EmbeddedChannel(
            clientContext.newHandler(ByteBufAllocator.DEFAULT, remoteHost, XMPP_SERVER_PORT));
    for (int round = 0; round < 20 && !(handshakeDone(server) && handshakeDone(client)); round++) {
      shuttle(client, server);
      shuttle(server, client);
    }
    assertThat(ssl(server).handshakeFuture().isSuccess()).as("server handshake").isTrue();
    assertThat(ssl(client).handshakeFuture().isSuccess()).as("client handshake").isTrue();
  }

  private static void shuttle(EmbeddedChannel from, EmbeddedChannel to) {
    from.runPendingTasks();
    ByteBuf bytes;
    while ((bytes = from.readOutbound()) != null) {
      to.writeInbound(bytes);
    }
    to.runPendingTasks();
  }

  private static boolean handshakeDone(EmbeddedChannel channel) {
    return ssl(channel).handshakeFuture().isDone();
  }

  private static SslHandler ssl(EmbeddedChannel channel) {
    return channel.pipeline().get(SslHandler.class);
  }

  private static List<SNIServerName> requestedServerNames(EmbeddedChannel channel) {
    return ((ExtendedSSLSession) ssl(channel).engine().getSession()).getRequestedServerNames();
  }

  private static SslContext plainClientWithoutCertificate(String... protocols) throws Exception {
    return SslContextBuilder.forClient()
        .sslProvider(SslProvider.JDK)
        .protocols(protocols)
        .trustManager(InsecureTrustManagerFactory.INSTANCE)
        .build();
  }

  @Test
  void serverVerifiesTheClientCertificateForTheClientDomainOnly_xep0178_3() throws Exception {
    handshake(
        TlsContexts.server(keyMaterial(MONTAGUE)),
        TlsContexts.client(keyMaterial(CAPULET)),
        "montague.example");

    List<X509Certificate> clientChain = PeerCertificates.of(ssl(server));

    assertThat(clientChain).containsExactly(CAPULET.certificate(), CA.certificate());
    assertThat(verifier.verify(clientChain, "capulet.example").status()).isEqualTo(Status.VALID);
    assertThat(verifier.verify(clientChain, "verona.example").status())
        .isEqualTo(Status.NAME_MISMATCH);
  }

  @Test
  void clientVerifiesTheServerCertificateForTheDomainItConnectedTo_rfc6120_13_7_2_1()
      throws Exception {
    handshake(
        TlsContexts.server(keyMaterial(MONTAGUE)),
        TlsContexts.client(keyMaterial(CAPULET)),
        "montague.example");

    List<X509Certificate> serverChain = PeerCertificates.of(ssl(client));

    assertThat(serverChain).containsExactly(MONTAGUE.certificate(), CA.certificate());
    assertThat(verifier.verify(serverChain, "montague.example").isValid()).isTrue();
    assertThat(verifier.verify(serverChain, "capulet.example").isValid()).isFalse();
  }

  @Test
  void clientSendsTheRemoteDomainAsSni_xep0368_3() throws Exception {
    handshake(
        TlsContexts.server(keyMaterial(MONTAGUE)),
        TlsContexts.client(keyMaterial(CAPULET)),
        "montague.example");

    assertThat(requestedServerNames(server)).containsExactly(new SNIHostName("montague.example"));
  }

  @Test
  void noSniForASingleLabelHost() throws Exception {
    handshake(
        TlsContexts.server(keyMaterial(MONTAGUE)),
        TlsContexts.client(keyMaterial(CAPULET)),
        "localhost");

    assertThat(requestedServerNames(server)).isEmpty();
  }

  @Test
  void handshakeAcceptsAnUntrustedPeerAndLeavesTheVerdictToTheVerifier_rfc6120_13_8_2()
      throws Exception {
    Issued selfSigned = certificate("verona").dnsName("verona.example").selfSigned();
    KeyMaterial untrusted =
        KeyMaterial.of(selfSigned.privateKey(), List.of(selfSigned.certificate()));

    handshake(TlsContexts.server(untrusted), TlsContexts.client(untrusted), "verona.example");

    assertThat(verifier.verify(PeerCertificates.of(ssl(server)), "verona.example").status())
        .isEqualTo(Status.UNTRUSTED);
    assertThat(verifier.verify(PeerCertificates.of(ssl(client)), "verona.example").status())
        .isEqualTo(Status.UNTRUSTED);
  }

  @Test
  void serverAcceptsAClientWithoutCertificate_xep0220() throws Exception {
    handshake(
        TlsContexts.server(keyMaterial(MONTAGUE)),
        plainClientWithoutCertificate("TLSv1.3"),
        "montague.example");

    assertThat(PeerCertificates.of(ssl(server))).isEmpty();
    assertThat(verifier.verify(PeerCertificates.of(ssl(server)), "capulet.example").status())
        .isEqualTo(Status.NO_CERTIFICATE);
  }

  @Test
  void tls13IsNegotiatedBetweenOurContexts() throws Exception {
    handshake(
        TlsContexts.server(keyMaterial(MONTAGUE)),
        TlsContexts.client(keyMaterial(CAPULET)),
        "montague.example");

    assertThat(ssl(server).engine().getSession().getProtocol()).isEqualTo("TLSv1.3");
  }

  @Test
  void tls12PeerIsAcceptedAndStillAskedForItsCertificate() throws Exception {
    SslContext tls12Client =
        SslContextBuilder.forClient()
            .sslProvider(SslProvider.JDK)
            .protocols("TLSv1.2")
            .keyManager(CAPULET.privateKey(), CAPULET.certificate(), CA.certificate())
            .trustManager(InsecureTrustManagerFactory.INSTANCE)
            .build();

    handshake(TlsContexts.server(keyMaterial(MONTAGUE)), tls12Client, "montague.example");

    assertThat(ssl(server).engine().getSession().getProtocol()).isEqualTo("TLSv1.2");
    assertThat(PeerCertificates.of(ssl(server))).startsWith(CAPULET.certificate());
  }

  @Test
  void onlyTls13And12AreEnabled_rfc8996() throws Exception {
    SslContext context = TlsContexts.server(keyMaterial(MONTAGUE));

    assertThat(context.newEngine(ByteBufAllocator.DEFAULT).getEnabledProtocols())
        .containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
    assertThat(
            TlsContexts.client(keyMaterial(CAPULET))
                .newEngine(ByteBufAllocator.DEFAULT)
                .getEnabledProtocols())
        .containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
  }

  @Test
  void noPeerCertificatesBeforeTheHandshake() throws Exception {
    SslHandler handler =
        TlsContexts.client(keyMaterial(CAPULET))
            .newHandler(ByteBufAllocator.DEFAULT, "montague.example", XMPP_SERVER_PORT);

    assertThat(PeerCertificates.of(handler)).isEmpty();
  }
}
