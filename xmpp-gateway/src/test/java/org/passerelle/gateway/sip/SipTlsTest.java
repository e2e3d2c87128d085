package org.passerelle.gateway.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.testpeers.IssuedCertificate;
import org.passerelle.testpeers.TestCa;

/**
 * SIP over TLS between two endpoints with certificates from a test CA, PEM on one side, PKCS#12 on
 * the other.
 */
class SipTlsTest {

  @TempDir Path dir;

  private final List<SipEndpoint> open = new ArrayList<>();

  @AfterEach
  void closeAll() {
    open.forEach(SipEndpoint::close);
  }

  private SipEndpoint start(SipTlsSettings tls, SipHandlers handlers) throws IOException {
    int port = FreePorts.udpAndTcp();
    SipEndpoint endpoint =
        SipEndpoint.start(
            SipSettings.builder(FreePorts.LOOPBACK)
                .udp(port)
                .tls(FreePorts.udpAndTcp(), tls)
                .domains("*")
                .build(),
            handlers);
    open.add(endpoint);
    return endpoint;
  }

  private static SipTlsSettings pem(IssuedCertificate c, Path trust) {
    return SipTlsSettings.pem(c.certificatePem(), c.privateKeyPem(), trust);
  }

  private static SipTlsSettings pkcs12(IssuedCertificate c, Path trust) {
    return SipTlsSettings.pkcs12(c.pkcs12(), c.pkcs12Password(), trust, "");
  }

  @Test
  void messageRoundTripOverTlsWithPemAndPkcs12Material_rfc3261section26_2() throws Exception {
    TestCa ca = TestCa.create(dir.resolve("ca"));
    BlockingQueue<IncomingMessage> received = new LinkedBlockingQueue<>();
    SipEndpoint remote =
        start(
            pkcs12(ca.issue("remote.example"), ca.certificatePath())
                .withClientAuth(SipTlsSettings.ClientAuth.NEED),
            SipHandlers.message(
                SipHandlers.TEXT_PLAIN,
                (m, r) -> {
                  received.add(m);
                  r.respond(200, "");
                }));
    SipEndpoint gateway =
        start(pem(ca.issue("gw.example"), ca.certificatePath()), SipHandlers.none());
    int tlsPort = remote.localAddress(SipTransport.TLS).getPort();

    SipResponseInfo response =
        gateway
            .sendMessage(
                OutgoingMessage.builder(
                        "sips:bob@127.0.0.1:" + tlsPort, "sips:alice@gw.example", "secret")
                    .build())
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);

    assertThat(response.statusCode()).isEqualTo(200);
    IncomingMessage message = received.poll(5, TimeUnit.SECONDS);
    assertThat(message).isNotNull();
    assertThat(message.transport()).isEqualTo(SipTransport.TLS);
    assertThat(message.body()).isEqualTo("secret");
  }

  @Test
  void serverWhoseCertificateWeDoNotTrustIsNotReached() throws Exception {
    TestCa ours = TestCa.create(dir.resolve("ours"));
    TestCa theirs = TestCa.create(dir.resolve("theirs"));
    BlockingQueue<IncomingMessage> received = new LinkedBlockingQueue<>();
    SipEndpoint remote =
        start(
            pem(theirs.issue("remote.example"), theirs.certificatePath()),
            SipHandlers.message(SipHandlers.TEXT_PLAIN, (m, r) -> received.add(m)));
    SipEndpoint gateway =
        start(pem(ours.issue("gw.example"), ours.certificatePath()), SipHandlers.none());
    int tlsPort = remote.localAddress(SipTransport.TLS).getPort();

    try {
      gateway
          .sendMessage(
              OutgoingMessage.builder(
                      "sip:bob@127.0.0.1:" + tlsPort + ";transport=tls", "sip:a@gw.example", "x")
                  .build())
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      throw new AssertionError("sent over TLS to an untrusted server");
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(SipSendException.class);
      // The handshake fails on the gateway's own stream (decision 16): at once, not at Timer F.
      assertThat(((SipSendException) e.getCause()).reason())
          .isEqualTo(SipSendException.Reason.TRANSPORT);
    }
    assertThat(received).isEmpty();
  }

  @Test
  void unreadableKeyFailsTheStartNamingTheFile() throws Exception {
    TestCa ca = TestCa.create(dir.resolve("ca"));
    IssuedCertificate c = ca.issue("gw.example");
    Path rsaKey = dir.resolve("rsa.key");
    Files.writeString(
        rsaKey, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");

    assertThatThrownBy(
            () ->
                start(
                    SipTlsSettings.pem(c.certificatePem(), rsaKey, ca.certificatePath()),
                    SipHandlers.none()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("rsa.key");
  }

  @Test
  void keyThatDoesNotMatchTheCertificateFailsTheStart() throws Exception {
    TestCa ca = TestCa.create(dir.resolve("ca"));
    IssuedCertificate one = ca.issue("gw.example");
    IssuedCertificate other = ca.issue("other.example");

    assertThatThrownBy(
            () ->
                start(
                    SipTlsSettings.pem(
                        one.certificatePem(), other.privateKeyPem(), ca.certificatePath()),
                    SipHandlers.none()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("does not match");
  }
}
