package org.passerelle.stream.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.passerelle.stream.pki.TestCertificates.certificate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.passerelle.stream.pki.PresentedIdentity.Type;
import org.passerelle.stream.pki.TestCertificates.Issued;
import org.passerelle.stream.pki.VerificationResult.Status;

class PeerCertificateVerifierTest {

  private static final Issued CA = TestCertificates.ca("Test Root CA");
  private static final Issued OTHER_CA = TestCertificates.ca("Other Root CA");

  private final PeerCertificateVerifier verifier =
      new PeerCertificateVerifier(TrustAnchors.of(List.of(CA.certificate())));

  private static Issued leaf(String domain) {
    return certificate(domain).dnsName(domain).issuedBy(CA);
  }

  @Test
  void trustedChainNamingTheDomainIsValid_rfc6120_13_7_2() {
    Issued leaf = leaf("capulet.example");

    VerificationResult result = verifier.verify(List.of(leaf.certificate()), "capulet.example");

    assertThat(result.status()).isEqualTo(Status.VALID);
    assertThat(result.isValid()).isTrue();
    assertThat(result.identities())
        .containsExactly(new PresentedIdentity(Type.DNS_ID, "capulet.example"));
    assertThat(result.reason()).contains("capulet.example");
  }

  @Test
  void chainThroughAnIntermediateIsValid() {
    Issued intermediate = certificate("Intermediate CA").ca().issuedBy(CA);
    Issued leaf = certificate("capulet").dnsName("capulet.example").issuedBy(intermediate);

    VerificationResult result =
        verifier.verify(List.of(leaf.certificate(), intermediate.certificate()), "capulet.example");

    assertThat(result.status()).isEqualTo(Status.VALID);
  }

  @Test
  void chainIncludingTheAnchorItselfIsValid() {
    Issued leaf = leaf("capulet.example");

    VerificationResult result =
        verifier.verify(List.of(leaf.certificate(), CA.certificate()), "capulet.example");

    assertThat(result.status()).isEqualTo(Status.VALID);
  }

  @Test
  void trustedChainForAnotherDomainIsANameMismatch_rfc6120_13_7_2_1() {
    Issued leaf = leaf("capulet.example");

    VerificationResult result = verifier.verify(List.of(leaf.certificate()), "montague.example");

    assertThat(result.status()).isEqualTo(Status.NAME_MISMATCH);
    assertThat(result.isValid()).isFalse();
    assertThat(result.reason()).contains("montague.example").contains("DNS-ID:capulet.example");
    assertThat(result.identities())
        .containsExactly(new PresentedIdentity(Type.DNS_ID, "capulet.example"));
  }

  @Test
  void commonNameAloneIsANameMismatch_rfc9525() {
    Issued leaf = certificate("capulet.example").issuedBy(CA);

    VerificationResult result = verifier.verify(List.of(leaf.certificate()), "capulet.example");

    assertThat(result.status()).isEqualTo(Status.NAME_MISMATCH);
    assertThat(result.reason()).contains("CN");
    assertThat(result.identities()).isEmpty();
  }

  @Test
  void chainFromAnotherCaIsUntrusted() {
    Issued leaf = certificate("capulet").dnsName("capulet.example").issuedBy(OTHER_CA);

    VerificationResult result =
        verifier.verify(List.of(leaf.certificate(), OTHER_CA.certificate()), "capulet.example");

    assertThat(result.status()).isEqualTo(Status.UNTRUSTED);
    assertThat(result.identities()).hasSize(1);
  }

  @Test
  void selfSignedCertificateIsUntrusted() {
    Issued selfSigned = certificate("capulet").dnsName("capulet.example").selfSigned();

    VerificationResult result =
        verifier.verify(List.of(selfSigned.certificate()), "capulet.example");

    assertThat(result.status()).isEqualTo(Status.UNTRUSTED);
  }

  @Test
  void selfSignedCertificateConfiguredAsAnchorIsValid() {
    Issued pinned = certificate("capulet").dnsName("capulet.example").selfSigned();
    PeerCertificateVerifier pinning =
        new PeerCertificateVerifier(TrustAnchors.of(List.of(pinned.certificate())));

    assertThat(pinning.verify(List.of(pinned.certificate()), "capulet.example").status())
        .isEqualTo(Status.VALID);
    assertThat(pinning.verify(List.of(pinned.certificate()), "montague.example").status())
        .isEqualTo(Status.NAME_MISMATCH);
  }

  @Test
  void leafSignedByAnotherKeyUnderTheSameNameIsUntrusted() {
    Issued impostorCa = TestCertificates.ca("Test Root CA"); // same name, different key
    Issued leaf = certificate("capulet").dnsName("capulet.example").issuedBy(impostorCa);

    VerificationResult result = verifier.verify(List.of(leaf.certificate()), "capulet.example");

    assertThat(result.status()).isEqualTo(Status.UNTRUSTED);
  }

  @Test
  void expiredLeafIsExpired_rfc5280_6_1_3() {
    Instant now = Instant.now();
    Issued expired =
        certificate("capulet")
            .dnsName("capulet.example")
            .validity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)))
            .issuedBy(CA);

    VerificationResult result = verifier.verify(List.of(expired.certificate()), "capulet.example");

    assertThat(result.status()).isEqualTo(Status.EXPIRED);
    assertThat(result.reason()).contains("CN=capulet").contains("expired");
  }

  @Test
  void expiredIntermediateIsExpired_rfc5280_6_1_3() {
    Instant now = Instant.now();
    Issued intermediate =
        certificate("Old Intermediate")
            .ca()
            .validity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)))
            .issuedBy(CA);
    Issued leaf = certificate("capulet").dnsName("capulet.example").issuedBy(intermediate);

    VerificationResult result =
        verifier.verify(List.of(leaf.certificate(), intermediate.certificate()), "capulet.example");

    assertThat(result.status()).isEqualTo(Status.EXPIRED);
    assertThat(result.reason()).contains("CN=Old Intermediate");
  }

  @Test
  void leafNotYetValidIsNotYetValid_rfc5280_6_1_3() {
    Instant now = Instant.now();
    Issued future =
        certificate("capulet")
            .dnsName("capulet.example")
            .validity(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)))
            .issuedBy(CA);

    VerificationResult result = verifier.verify(List.of(future.certificate()), "capulet.example");

    assertThat(result.status()).isEqualTo(Status.NOT_YET_VALID);
  }

  @Test
  void validityIsJudgedAtTheClocksTime() {
    Issued leaf = leaf("capulet.example");
    Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(60)), ZoneOffset.UTC);
    PeerCertificateVerifier verifierLater =
        new PeerCertificateVerifier(TrustAnchors.of(List.of(CA.certificate())), later);

    assertThat(verifierLater.verify(List.of(leaf.certificate()), "capulet.example").status())
        .isEqualTo(Status.EXPIRED);
  }

  @Test
  void expiredPinnedCertificateIsExpired() {
    Instant now = Instant.now();
    Issued pinned =
        certificate("capulet")
            .dnsName("capulet.example")
            .validity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)))
            .selfSigned();
    PeerCertificateVerifier pinning =
        new PeerCertificateVerifier(TrustAnchors.of(List.of(pinned.certificate())));

    assertThat(pinning.verify(List.of(pinned.certificate()), "capulet.example").status())
        .isEqualTo(Status.EXPIRED);
  }

  @Test
  void untrustedChainIsReportedBeforeANameMismatch() {
    Issued leaf = certificate("capulet").dnsName("capulet.example").issuedBy(OTHER_CA);

    assertThat(verifier.verify(List.of(leaf.certificate()), "montague.example").status())
        .isEqualTo(Status.UNTRUSTED);
  }

  @Test
  void noCertificateIsReportedAsSuch_xep0178_3() {
    VerificationResult result = verifier.verify(List.of(), "capulet.example");

    assertThat(result.status()).isEqualTo(Status.NO_CERTIFICATE);
    assertThat(result.identities()).isEmpty();
  }

  @Test
  void wildcardCertificateIsValidForOneSubdomain() {
    Issued leaf = certificate("wildcard").dnsName("*.capulet.example").issuedBy(CA);

    assertThat(verifier.verify(List.of(leaf.certificate()), "chat.capulet.example").status())
        .isEqualTo(Status.VALID);
    assertThat(verifier.verify(List.of(leaf.certificate()), "capulet.example").status())
        .isEqualTo(Status.NAME_MISMATCH);
  }

  @Test
  void srvIdAndXmppAddrCertificatesAreValid_rfc6120_13_7_1_2() {
    Issued srv = certificate("srv").srvName("_xmpp-server.capulet.example").issuedBy(CA);
    Issued xmppAddr = certificate("addr").xmppAddr("capulet.example").issuedBy(CA);

    assertThat(verifier.verify(List.of(srv.certificate()), "capulet.example").status())
        .isEqualTo(Status.VALID);
    assertThat(verifier.verify(List.of(xmppAddr.certificate()), "capulet.example").status())
        .isEqualTo(Status.VALID);
  }

  @Test
  void resultIdentitiesAreImmutable() {
    VerificationResult result =
        verifier.verify(List.of(leaf("capulet.example").certificate()), "capulet.example");

    assertThatThrownBy(() -> result.identities().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
