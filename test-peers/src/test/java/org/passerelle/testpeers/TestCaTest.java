package org.passerelle.testpeers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCaTest {

  private static final int DNS_NAME = 2;
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  @TempDir Path dir;

  @Test
  void issuedCertificateNamesTheDomainOnlyAsCnAndDnsSan() throws Exception {
    TestCa ca = TestCa.create(dir);

    X509Certificate cert = ca.issue("p.test").certificate();

    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=p.test");
    // COMPAT: ejabberd: an XmppAddr (otherName) SAN crashes its S2S connection.
    assertThat(cert.getSubjectAlternativeNames()).containsExactly(List.of(DNS_NAME, "p.test"));
  }

  @Test
  void issuedCertificateServesBothEndsOfAnS2sConnection() throws Exception {
    TestCa ca = TestCa.create(dir);

    X509Certificate cert = ca.issue("e.test").certificate();

    assertThat(cert.getExtendedKeyUsage()).containsExactlyInAnyOrder(SERVER_AUTH, CLIENT_AUTH);
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    assertThat(cert.getNotBefore().toInstant()).isBefore(Instant.now().minusSeconds(60));
    cert.verify(ca.certificate().getPublicKey());
  }

  @Test
  void opensslVerifiesIssuedCertificateForServerAndClientUse() throws Exception {
    TestCa ca = TestCa.create(dir);
    IssuedCertificate issued = ca.issue("p.test");

    for (String purpose : List.of("sslserver", "sslclient")) {
      Process openssl =
          new ProcessBuilder(
                  "openssl",
                  "verify",
                  "-purpose",
                  purpose,
                  "-CAfile",
                  ca.certificatePath().toString(),
                  issued.certificatePem().toString())
              .redirectErrorStream(true)
              .start();
      String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(openssl.waitFor()).as(output).isZero();
    }
  }

  @Test
  void filesHoldTheCertificateAndKeyInEveryFormat() throws Exception {
    TestCa ca = TestCa.create(dir);

    IssuedCertificate issued = ca.issue("p.test");

    assertThat(dir.resolve("ca.crt")).isEqualTo(ca.certificatePath()).exists();
    String certPem = Files.readString(issued.certificatePem());
    String keyPem = Files.readString(issued.privateKeyPem());
    assertThat(certPem).startsWith("-----BEGIN CERTIFICATE-----\n");
    assertThat(keyPem).startsWith("-----BEGIN PRIVATE KEY-----\n");
    assertThat(Files.readString(issued.combinedPem())).isEqualTo(certPem + keyPem);
    KeyStore p12 = issued.keyStore();
    assertThat(p12.getKey("p.test", issued.pkcs12Password().toCharArray()))
        .isEqualTo(issued.privateKey());
    assertThat(p12.getCertificateChain("p.test"))
        .containsExactly(issued.certificate(), ca.certificate());
  }

  @Test
  void selfSignedCertificateIsItsOwnIssuer() throws Exception {
    IssuedCertificate self = TestCa.selfSigned(dir, "e.test");

    X509Certificate cert = self.certificate();
    assertThat(cert.getIssuerX500Principal()).isEqualTo(cert.getSubjectX500Principal());
    cert.verify(cert.getPublicKey());
    assertThat(cert.getSubjectAlternativeNames()).containsExactly(List.of(DNS_NAME, "e.test"));
    assertThat(self.keyStore().getCertificateChain("e.test")).containsExactly(cert);
  }
}
