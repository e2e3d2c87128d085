package org.passerelle.stream.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.passerelle.stream.pki.TestCertificates.writePem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.stream.pki.TestCertificates.Issued;

class KeyMaterialTest {

  private static final char[] PASSWORD = "p12-password".toCharArray();
  private static final Issued CA = TestCertificates.ca("Test CA");
  private static final KeyPair RSA_KEYS = TestCertificates.rsaKeyPair();
  private static final Issued EC_LEAF =
      TestCertificates.certificate("ec").dnsName("ec.example").issuedBy(CA);
  private static final Issued RSA_LEAF =
      TestCertificates.certificate("rsa").dnsName("rsa.example").keyPair(RSA_KEYS).issuedBy(CA);

  @TempDir Path dir;

  private Path chainFile(Issued leaf) throws IOException {
    return writePem(dir.resolve("chain.pem"), leaf.certificate(), CA.certificate());
  }

  @Test
  void pkcs8EcKeyAndChainAreLoaded() throws Exception {
    Path key = writePem(dir.resolve("key.pem"), new JcaPKCS8Generator(EC_LEAF.privateKey(), null));

    KeyMaterial material = KeyMaterial.fromPem(chainFile(EC_LEAF), key);

    assertThat(Files.readString(key)).contains("BEGIN PRIVATE KEY");
    assertThat(material.certificateChain())
        .containsExactly(EC_LEAF.certificate(), CA.certificate());
    assertThat(material.certificate()).isEqualTo(EC_LEAF.certificate());
    assertThat(material.privateKey().getEncoded()).isEqualTo(EC_LEAF.privateKey().getEncoded());
  }

  @Test
  void pkcs8RsaKeyIsLoaded() throws Exception {
    Path key = writePem(dir.resolve("key.pem"), new JcaPKCS8Generator(RSA_LEAF.privateKey(), null));

    assertThat(KeyMaterial.fromPem(chainFile(RSA_LEAF), key).privateKey().getAlgorithm())
        .isEqualTo("RSA");
  }

  @Test
  void pkcs1RsaKeyIsLoaded() throws Exception {
    Path key = writePem(dir.resolve("key.pem"), RSA_LEAF.privateKey());

    assertThat(Files.readString(key)).contains("BEGIN RSA PRIVATE KEY");
    assertThat(KeyMaterial.fromPem(chainFile(RSA_LEAF), key).privateKey().getEncoded())
        .isEqualTo(RSA_LEAF.privateKey().getEncoded());
  }

  @Test
  void sec1EcKeyWithParametersBlockIsLoaded() throws Exception {
    // As written by "openssl ecparam -genkey -name prime256v1": parameters first, then the key.
    Path key =
        Files.writeString(
            dir.resolve("key.pem"),
            "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
                + TestCertificates.sec1Pem(EC_LEAF.keyPair()));

    assertThat(Files.readString(key)).contains("BEGIN EC PRIVATE KEY");
    assertThat(KeyMaterial.fromPem(chainFile(EC_LEAF), key).certificate())
        .isEqualTo(EC_LEAF.certificate());
  }

  @Test
  void oneCombinedFileServesAsChainAndKey() throws Exception {
    Path combined =
        writePem(
            dir.resolve("combined.pem"),
            EC_LEAF.certificate(),
            CA.certificate(),
            new JcaPKCS8Generator(EC_LEAF.privateKey(), null));

    KeyMaterial material = KeyMaterial.fromPem(combined, combined);

    assertThat(material.certificateChain()).hasSize(2);
  }

  @Test
  void missingCertificateFileIsNamed() throws Exception {
    Path missing = dir.resolve("missing.pem");
    Path key = writePem(dir.resolve("key.pem"), new JcaPKCS8Generator(EC_LEAF.privateKey(), null));

    assertThatThrownBy(() -> KeyMaterial.fromPem(missing, key))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("certificate file " + missing)
        .hasMessageContaining("does not exist");
  }

  @Test
  void missingKeyFileIsNamed() throws Exception {
    Path missing = dir.resolve("missing-key.pem");

    assertThatThrownBy(() -> KeyMaterial.fromPem(chainFile(EC_LEAF), missing))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("private key file " + missing);
  }

  @Test
  void keyOfAnotherCertificateIsRefusedNamingBothFiles() throws Exception {
    Path chain = chainFile(EC_LEAF);
    Path key =
        Files.writeString(
            dir.resolve("key.pem"), TestCertificates.sec1Pem(TestCertificates.ecKeyPair()));

    assertThatThrownBy(() -> KeyMaterial.fromPem(chain, key))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(key.toString())
        .hasMessageContaining(chain.toString())
        .hasMessageContaining("does not match");
  }

  @Test
  void keyOfAnotherAlgorithmIsRefused() throws Exception {
    Path chain = chainFile(EC_LEAF);
    Path key = writePem(dir.resolve("key.pem"), RSA_LEAF.privateKey());

    assertThatThrownBy(() -> KeyMaterial.fromPem(chain, key))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("does not match");
  }

  @Test
  void chainMustStartWithOurOwnCertificate() throws Exception {
    Path chain = writePem(dir.resolve("chain.pem"), CA.certificate(), EC_LEAF.certificate());
    Path key =
        Files.writeString(dir.resolve("key.pem"), TestCertificates.sec1Pem(EC_LEAF.keyPair()));

    assertThatThrownBy(() -> KeyMaterial.fromPem(chain, key))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("must come first");
  }

  @Test
  void keyFileWithoutKeyIsNamed() throws Exception {
    Path chain = chainFile(EC_LEAF);

    assertThatThrownBy(() -> KeyMaterial.fromPem(chain, chain))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("private key file " + chain)
        .hasMessageContaining("exactly one");
  }

  @Test
  void encryptedKeyIsRefusedWithAnExplanation() throws Exception {
    OutputEncryptor encryptor =
        new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
            .setProvider(new BouncyCastleProvider()) // the JDK lacks PKCS7Padding
            .setPassword("secret".toCharArray())
            .build();
    Path key =
        writePem(dir.resolve("key.pem"), new JcaPKCS8Generator(EC_LEAF.privateKey(), encryptor));

    assertThatThrownBy(() -> KeyMaterial.fromPem(chainFile(EC_LEAF), key))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(key.toString())
        .hasMessageContaining("encrypted");
  }

  @Test
  void pkcs12IsLoaded() throws Exception {
    Path file =
        TestCertificates.writePkcs12(
            dir.resolve("xmpp.p12"),
            PASSWORD,
            EC_LEAF.privateKey(),
            EC_LEAF.certificate(),
            CA.certificate());

    KeyMaterial material = KeyMaterial.fromKeyStore(file, PASSWORD);

    assertThat(material.certificateChain())
        .containsExactly(EC_LEAF.certificate(), CA.certificate());
    assertThat(material.privateKey().getEncoded()).isEqualTo(EC_LEAF.privateKey().getEncoded());
  }

  @Test
  void pkcs12WithWrongPasswordIsNamed() throws Exception {
    Path file =
        TestCertificates.writePkcs12(
            dir.resolve("xmpp.p12"), PASSWORD, EC_LEAF.privateKey(), EC_LEAF.certificate());

    assertThatThrownBy(() -> KeyMaterial.fromKeyStore(file, "wrong".toCharArray()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("wrong password");
  }

  @Test
  void pkcs12WithoutKeyEntryIsNamed() throws Exception {
    Path file =
        TestCertificates.writeTrustStore(dir.resolve("trust.p12"), PASSWORD, CA.certificate());

    assertThatThrownBy(() -> KeyMaterial.fromKeyStore(file, PASSWORD))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("exactly one private key entry");
  }

  @Test
  void fileThatIsNotAKeyStoreIsNamed() throws Exception {
    Path file = chainFile(EC_LEAF);

    assertThatThrownBy(() -> KeyMaterial.fromKeyStore(file, PASSWORD))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void inMemoryKeyMustMatchItsCertificate() {
    assertThatThrownBy(
            () ->
                KeyMaterial.of(
                    TestCertificates.ecKeyPair().getPrivate(), List.of(EC_LEAF.certificate())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not match");
    assertThat(KeyMaterial.of(EC_LEAF.privateKey(), List.of(EC_LEAF.certificate())).certificate())
        .isEqualTo(EC_LEAF.certificate());
  }

  @Test
  void toStringShowsTheSubjectButNotTheKey() {
    KeyMaterial material = KeyMaterial.of(EC_LEAF.privateKey(), List.of(EC_LEAF.certificate()));

    assertThat(material.toString()).contains("CN=ec").doesNotContain("PRIVATE");
  }
}
