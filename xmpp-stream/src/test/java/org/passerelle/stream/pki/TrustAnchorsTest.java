package org.passerelle.stream.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.passerelle.stream.pki.TestCertificates.pem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.stream.pki.TestCertificates.Issued;

class TrustAnchorsTest {

  private static final char[] PASSWORD = "store-password".toCharArray();
  private static final Issued CA_1 = TestCertificates.ca("CA one");
  private static final Issued CA_2 = TestCertificates.ca("CA two");
  private static final Issued CA_3 = TestCertificates.ca("CA three");

  @TempDir Path dir;

  @Test
  void pemFileMayHoldSeveralCertificatesAndComments() throws IOException {
    Path file = dir.resolve("bundle.pem");
    Files.writeString(
        file,
        "# CA one — comment with UTF-8\n"
            + pem(CA_1.certificate())
            + "\nsome text between blocks\n"
            + pem(CA_2.certificate()));

    TrustAnchors anchors = TrustAnchors.fromPemFiles(List.of(file));

    assertThat(anchors.certificates()).containsExactly(CA_1.certificate(), CA_2.certificate());
    assertThat(anchors.anchors()).hasSize(2);
    assertThat(anchors.contains(CA_2.certificate())).isTrue();
    assertThat(anchors.contains(CA_3.certificate())).isFalse();
  }

  @Test
  void severalPemFilesAreCombinedWithoutDuplicates() throws IOException {
    Path first = TestCertificates.writePem(dir.resolve("one.pem"), CA_1.certificate());
    Path second =
        TestCertificates.writePem(dir.resolve("two.pem"), CA_2.certificate(), CA_1.certificate());

    TrustAnchors anchors = TrustAnchors.fromPemFiles(List.of(first, second));

    assertThat(anchors.certificates()).containsExactly(CA_1.certificate(), CA_2.certificate());
    assertThat(anchors.source()).contains(first.toString()).contains(second.toString());
  }

  @Test
  void missingPemFileIsNamed() {
    Path missing = dir.resolve("missing.pem");

    assertThatThrownBy(() -> TrustAnchors.fromPemFiles(List.of(missing)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("does not exist");
  }

  @Test
  void pemFileWithoutCertificatesIsNamed() throws IOException {
    Path file = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");

    assertThatThrownBy(() -> TrustAnchors.fromPemFiles(List.of(file)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("no PEM");
  }

  @Test
  void corruptPemBlockIsNamed() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("corrupt.pem"),
            "-----BEGIN CERTIFICATE-----\nAAAA!!!!\n-----END CERTIFICATE-----\n");

    assertThatThrownBy(() -> TrustAnchors.fromPemFiles(List.of(file)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void trustStoreCertificateEntriesAreAnchors() throws Exception {
    Path store =
        TestCertificates.writeTrustStore(
            dir.resolve("trust.p12"), PASSWORD, CA_1.certificate(), CA_2.certificate());

    TrustAnchors anchors = TrustAnchors.fromKeyStore(store, PASSWORD);

    assertThat(anchors.certificates())
        .containsExactlyInAnyOrder(CA_1.certificate(), CA_2.certificate());
  }

  @Test
  void trustStoreWithWrongPasswordIsNamed() throws Exception {
    Path store =
        TestCertificates.writeTrustStore(dir.resolve("trust.p12"), PASSWORD, CA_1.certificate());

    assertThatThrownBy(() -> TrustAnchors.fromKeyStore(store, "wrong".toCharArray()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(store.toString())
        .hasMessageContaining("wrong password");
  }

  @Test
  void trustStoreWithoutCertificateEntriesIsNamed() throws Exception {
    Issued leaf = TestCertificates.certificate("leaf").selfSigned();
    Path store =
        TestCertificates.writePkcs12(
            dir.resolve("keys.p12"), PASSWORD, leaf.privateKey(), leaf.certificate());

    assertThatThrownBy(() -> TrustAnchors.fromKeyStore(store, PASSWORD))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(store.toString())
        .hasMessageContaining("no trusted certificate entries");
  }

  @Test
  void pemFilesAndTrustStoreAreCombined() throws Exception {
    Path pemFile = TestCertificates.writePem(dir.resolve("ca.pem"), CA_1.certificate());
    Path store =
        TestCertificates.writeTrustStore(dir.resolve("trust.p12"), PASSWORD, CA_3.certificate());

    TrustAnchors anchors = TrustAnchors.load(List.of(pemFile), Optional.of(store), PASSWORD);

    assertThat(anchors.certificates())
        .containsExactlyInAnyOrder(CA_1.certificate(), CA_3.certificate());
  }

  @Test
  void nothingConfiguredMeansTheJdkDefaultTrustStore() throws IOException {
    TrustAnchors anchors = TrustAnchors.load(List.of(), Optional.empty(), null);

    assertThat(anchors.certificates()).isNotEmpty();
    assertThat(anchors.certificates()).hasSameSizeAs(TrustAnchors.jdkDefault().certificates());
    assertThat(anchors.source()).contains("JDK");
  }

  @Test
  void emptyAnchorSetIsRefused() {
    assertThatThrownBy(() -> TrustAnchors.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
