package org.passerelle.stream.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.passerelle.stream.pki.TestCertificates.pem;
import static org.passerelle.stream.pki.TestCertificates.writePem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.stream.pki.TestCertificates.Issued;

/**
 * The JDK reads the common PEM files and declines every other one, which BouncyCastle then reads
 * (or refuses) as before; where both read a file, they agree.
 */
class JdkPemTest {

  private static final Issued CA = TestCertificates.ca("Test CA");
  private static final Issued EC_LEAF =
      TestCertificates.certificate("ec").dnsName("ec.example").issuedBy(CA);
  private static final Issued RSA_LEAF =
      TestCertificates.certificate("rsa")
          .dnsName("rsa.example")
          .keyPair(TestCertificates.rsaKeyPair())
          .issuedBy(CA);

  @TempDir Path dir;

  @Test
  void certificatesWithTextAroundThemAreReadInFileOrder() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("chain.pem"),
            "subject=CN = ec\n"
                + pem(EC_LEAF.certificate())
                + "\r\nissuer — CA\r\n"
                + pem(CA.certificate()).replace("\n", "\r\n"));

    JdkPem.Contents contents = JdkPem.read(file).orElseThrow();

    assertThat(contents.certificates()).containsExactly(EC_LEAF.certificate(), CA.certificate());
    assertThat(contents.privateKeys()).isEmpty();
    assertThat(contents.certificates())
        .isEqualTo(BouncyCastlePem.readCertificates(file, "certificate file"));
  }

  @Test
  void pkcs8EcKeyIsReadAsBouncyCastleReadsIt() throws Exception {
    assertReadByBothAlike(pkcs8(EC_LEAF.privateKey()), "EC");
  }

  @Test
  void pkcs8RsaKeyIsReadAsBouncyCastleReadsIt() throws Exception {
    assertReadByBothAlike(pkcs8(RSA_LEAF.privateKey()), "RSA");
  }

  @Test
  void pkcs8Ed25519KeyIsReadAsBouncyCastleReadsIt() throws Exception {
    KeyPair ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();

    assertReadByBothAlike(pkcs8(ed25519.getPrivate()), "EdDSA");
  }

  @Test
  void combinedFileGivesBothCertificatesAndTheKey() throws Exception {
    Path file =
        writePem(
            dir.resolve("combined.pem"),
            EC_LEAF.certificate(),
            new JcaPKCS8Generator(EC_LEAF.privateKey(), null),
            CA.certificate());

    JdkPem.Contents contents = JdkPem.read(file).orElseThrow();

    assertThat(contents.certificates()).containsExactly(EC_LEAF.certificate(), CA.certificate());
    assertThat(contents.privateKeys()).hasSize(1);
    assertThat(contents.privateKeys().get(0).getEncoded())
        .isEqualTo(EC_LEAF.privateKey().getEncoded());
  }

  @Test
  void pkcs1RsaKeyIsLeftToBouncyCastle() throws Exception {
    Path file = writePem(dir.resolve("key.pem"), RSA_LEAF.privateKey()); // RSA PRIVATE KEY

    assertThat(JdkPem.read(file)).isEmpty();
    assertThat(PkiFiles.readPrivateKey(file, "private key file").getEncoded())
        .isEqualTo(RSA_LEAF.privateKey().getEncoded());
  }

  @Test
  void sec1EcKeyIsLeftToBouncyCastle() throws Exception {
    Path file =
        Files.writeString(dir.resolve("key.pem"), TestCertificates.sec1Pem(EC_LEAF.keyPair()));

    assertThat(JdkPem.read(file)).isEmpty();
    assertThat(((ECPrivateKey) PkiFiles.readPrivateKey(file, "private key file")).getS())
        .isEqualTo(((ECPrivateKey) EC_LEAF.privateKey()).getS());
  }

  @Test
  void encryptedKeyIsLeftToBouncyCastle() throws Exception {
    Path file =
        writePem(
            dir.resolve("key.pem"),
            new JcaPKCS8Generator(
                EC_LEAF.privateKey(),
                new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                    .setProvider(new BouncyCastleProvider())
                    .setPassword("secret".toCharArray())
                    .build()));

    assertThat(Files.readString(file)).contains("BEGIN ENCRYPTED PRIVATE KEY");
    assertThat(JdkPem.read(file)).isEmpty();
  }

  @Test
  void trustedCertificateBlockIsLeftToBouncyCastle() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("trusted.pem"),
            pem(new PemObject("TRUSTED CERTIFICATE", CA.certificate().getEncoded())));

    assertThat(JdkPem.read(file)).isEmpty();
    assertThat(PkiFiles.readCertificates(file, "CA file")).containsExactly(CA.certificate());
  }

  @Test
  void malformedFilesAreLeftToBouncyCastle() throws Exception {
    String certificate = pem(CA.certificate());
    String body = Base64.getMimeEncoder().encodeToString(CA.certificate().getEncoded());
    String withTrailingBytes =
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder()
                .encodeToString(
                    Arrays.copyOf(
                        CA.certificate().getEncoded(), CA.certificate().getEncoded().length + 2))
            + "\n-----END CERTIFICATE-----\n";

    assertThat(declines("-----BEGIN CERTIFICATE-----\nAAAA!!!!\n-----END CERTIFICATE-----\n"))
        .isTrue();
    assertThat(declines(certificate.substring(0, certificate.indexOf("-----END")))).isTrue();
    assertThat(
            declines(
                "-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\n"
                    + body
                    + "\n-----END CERTIFICATE-----\n"))
        .isTrue();
    assertThat(declines(certificate.replace("-----END CERTIFICATE", "-----END X509 CRL"))).isTrue();
    assertThat(declines(" " + certificate)).isTrue();
    assertThat(declines(withTrailingBytes)).isTrue();
    assertThat(declines(certificate)).isFalse();
  }

  @Test
  void keyOfAnUnknownAlgorithmIsLeftToBouncyCastle() throws Exception {
    byte[] der = EC_LEAF.privateKey().getEncoded();
    byte[] unknown = der.clone();
    int oid = indexOf(unknown, new byte[] {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 2, 1});
    unknown[oid + 6] = 9; // 1.2.840.10045.2.9: not a key algorithm

    assertThat(JdkPem.keyAlgorithm(der)).isEqualTo("EC");
    assertThat(JdkPem.keyAlgorithm(unknown)).isNull();
    assertThat(JdkPem.keyAlgorithm(new byte[] {0x30, 0x05, 0x02, 0x01, 0x00})).isNull();
  }

  private Path pkcs8(PrivateKey key) throws Exception {
    Path file = writePem(dir.resolve("key.pem"), new JcaPKCS8Generator(key, null));
    assertThat(Files.readString(file)).contains("BEGIN PRIVATE KEY");
    return file;
  }

  private static void assertReadByBothAlike(Path file, String algorithm) throws Exception {
    Optional<JdkPem.Contents> contents = JdkPem.read(file);
    PrivateKey byBouncyCastle = BouncyCastlePem.readPrivateKey(file, "private key file");

    assertThat(contents).isPresent();
    assertThat(contents.get().privateKeys()).hasSize(1);
    PrivateKey byJdk = contents.get().privateKeys().get(0);
    assertThat(byJdk.getAlgorithm()).isEqualTo(algorithm).isEqualTo(byBouncyCastle.getAlgorithm());
    assertThat(byJdk.getEncoded()).isEqualTo(byBouncyCastle.getEncoded());
    assertThat(byJdk.getClass()).isEqualTo(byBouncyCastle.getClass());
  }

  private boolean declines(String text) throws Exception {
    return JdkPem.read(Files.writeString(dir.resolve("file.pem"), text)).isEmpty();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }
}
