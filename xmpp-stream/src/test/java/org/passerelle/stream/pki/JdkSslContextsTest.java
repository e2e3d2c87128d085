package org.passerelle.stream.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.passerelle.stream.pki.TestCertificates.certificate;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.KeyPairGenerator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.passerelle.stream.pki.TestCertificates.Issued;

/**
 * Mutual TLS as the proxy–gateway link uses it: a server that requires a client certificate from
 * its trusted authority, and a client that trusts only its own authority.
 */
class JdkSslContextsTest {

  private static final Issued LINK_CA = TestCertificates.ca("Link CA");
  private static final Issued OTHER_CA = TestCertificates.ca("Other CA");
  private static final Issued PROXY =
      certificate("proxy").dnsName("proxy.example").issuedBy(LINK_CA);
  private static final Issued GATEWAY =
      certificate("gateway").dnsName("gateway.example").issuedBy(LINK_CA);
  private static final Issued STRANGER =
      certificate("stranger").dnsName("stranger.example").issuedBy(OTHER_CA);
  private static final Issued RSA_GATEWAY =
      certificate("rsa-gateway")
          .dnsName("gateway.example")
          .keyPair(TestCertificates.rsaKeyPair())
          .issuedBy(LINK_CA);

  private EmbeddedChannel server;
  private EmbeddedChannel client;
  private SslHandler serverSsl;
  private SslHandler clientSsl;

  @AfterEach
  void close() {
    for (EmbeddedChannel channel : new EmbeddedChannel[] {server, client}) {
      if (channel != null) {
        try {
          channel.finishAndReleaseAll();
        } catch (Exception e) {
          // The failed handshake, rethrown by the channel: the tests read the handshake future.
        }
      }
    }
  }

  @Test
  void linkHandshakeSucceedsWithCertificatesOfTheTrustedAuthority() throws Exception {
    handshake(linkServer(), linkClient(GATEWAY));

    assertThat(succeeded(serverSsl)).isTrue();
    assertThat(succeeded(clientSsl)).isTrue();
    assertThat(PeerCertificates.of(serverSsl)).startsWith(GATEWAY.certificate());
    assertThat(clientSsl.engine().getSession().getProtocol()).isEqualTo("TLSv1.3");
  }

  @Test
  void rsaKeysWorkAsWellAsEcKeys() throws Exception {
    handshake(linkServer(), linkClient(RSA_GATEWAY));

    assertThat(succeeded(serverSsl)).isTrue();
    assertThat(PeerCertificates.of(serverSsl)).startsWith(RSA_GATEWAY.certificate());
  }

  @Test
  void ed25519KeysWorkToo() throws Exception {
    Issued ed25519 =
        certificate("ed25519")
            .dnsName("gateway.example")
            .keyPair(KeyPairGenerator.getInstance("Ed25519").generateKeyPair())
            .issuedBy(LINK_CA);

    handshake(linkServer(), linkClient(ed25519));

    assertThat(succeeded(serverSsl)).isTrue();
  }

  @Test
  void serverRefusesAClientCertificateOfAnotherAuthority() throws Exception {
    handshake(linkServer(), linkClient(STRANGER));

    assertThat(succeeded(serverSsl)).isFalse();
  }

  @Test
  void serverThatRequiresACertificateRefusesAClientWithoutOne() throws Exception {
    handshake(linkServer(), clientWithoutCertificate());

    assertThat(succeeded(serverSsl)).isFalse();
  }

  @Test
  void serverThatOnlyAsksForACertificateAcceptsAClientWithoutOne() throws Exception {
    handshake(TlsContexts.server(keyMaterial(PROXY)), clientWithoutCertificate());

    assertThat(succeeded(serverSsl)).isTrue();
  }

  @Test
  void clientRefusesAServerCertificateOfAnotherAuthority() throws Exception {
    SslContext strangerServer =
        JdkSslContexts.server(
            keyMaterial(STRANGER), InsecureTrustManagerFactory.INSTANCE, ClientAuth.OPTIONAL);

    handshake(strangerServer, linkClient(GATEWAY));

    assertThat(succeeded(clientSsl)).isFalse();
  }

  private static SslContext linkServer() throws Exception {
    return JdkSslContexts.server(
        keyMaterial(PROXY),
        JdkSslContexts.trusting(List.of(LINK_CA.certificate())),
        ClientAuth.REQUIRE);
  }

  private static SslContext linkClient(Issued leaf) throws Exception {
    return JdkSslContexts.client(
        keyMaterial(leaf), JdkSslContexts.trusting(List.of(LINK_CA.certificate())));
  }

  private static SslContext clientWithoutCertificate() throws Exception {
    return SslContextBuilder.forClient()
        .sslProvider(SslProvider.JDK)
        .trustManager(InsecureTrustManagerFactory.INSTANCE)
        .build();
  }

  private static KeyMaterial keyMaterial(Issued leaf) {
    Issued ca = leaf == STRANGER ? OTHER_CA : LINK_CA;
    return KeyMaterial.of(leaf.privateKey(), List.of(leaf.certificate(), ca.certificate()));
  }

  private void handshake(SslContext serverContext, SslContext clientContext) {
    close();
    serverSsl = serverContext.newHandler(ByteBufAllocator.DEFAULT);
    clientSsl = clientContext.newHandler(ByteBufAllocator.DEFAULT, "proxy.example", 23456);
    server = new EmbeddedChannel(serverSsl);
    client = new EmbeddedChannel(clientSsl);
    for (int round = 0;
        round < 20
            && !(serverSsl.handshakeFuture().isDone() && clientSsl.handshakeFuture().isDone());
        round++) {
      shuttle(client, server);
      shuttle(server, client);
    }
  }

  /** Whether the handler's handshake succeeded; a failed one has left the closed pipeline. */
  private static boolean succeeded(SslHandler ssl) {
    return ssl.handshakeFuture().isSuccess();
  }

  private static void shuttle(EmbeddedChannel from, EmbeddedChannel to) {
    try {
      from.runPendingTasks();
      ByteBuf bytes;
      while ((bytes = from.readOutbound()) != null) {
        to.writeInbound(bytes);
      }
      to.runPendingTasks();
    } catch (Exception e) {
      // A failed handshake, rethrown by the channel: the tests read the handshake future.
    }
  }
}
