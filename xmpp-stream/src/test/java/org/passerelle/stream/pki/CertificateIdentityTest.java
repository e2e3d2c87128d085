package org.passerelle.stream.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.passerelle.stream.pki.TestCertificates.certificate;

import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.junit.jupiter.api.Test;
import org.passerelle.stream.pki.PresentedIdentity.Type;

class CertificateIdentityTest {

  private static X509Certificate withDnsName(String name) {
    return certificate("test").dnsName(name).selfSigned().certificate();
  }

  @Test
  void dnsIdMatchesItsDomain_rfc6120_13_7_1_2_1() {
    assertThat(CertificateIdentity.matches(withDnsName("example.com"), "example.com")).isTrue();
  }

  @Test
  void dnsIdDoesNotMatchAnotherDomain() {
    X509Certificate certificate = withDnsName("example.com");

    assertThat(CertificateIdentity.matches(certificate, "example.org")).isFalse();
    assertThat(CertificateIdentity.matches(certificate, "sub.example.com")).isFalse();
    assertThat(CertificateIdentity.matches(certificate, "notexample.com")).isFalse();
  }

  @Test
  void dnsIdComparisonIgnoresCase_rfc6125_6_4_1() {
    assertThat(CertificateIdentity.matches(withDnsName("Example.COM"), "eXample.com")).isTrue();
  }

  @Test
  void trailingDotIsIgnored() {
    assertThat(CertificateIdentity.matches(withDnsName("example.com."), "example.com")).isTrue();
    assertThat(CertificateIdentity.matches(withDnsName("example.com"), "example.com.")).isTrue();
  }

  @Test
  void internationalizedDomainMatchesItsALabel_rfc6125_6_4_2() {
    X509Certificate certificate = withDnsName("xn--bcher-kva.example");

    assertThat(CertificateIdentity.matches(certificate, "bücher.example")).isTrue();
    assertThat(CertificateIdentity.matches(certificate, "BÜCHER.example")).isTrue();
    assertThat(CertificateIdentity.matches(certificate, "bucher.example")).isFalse();
  }

  @Test
  void wildcardMatchesOneLeftMostLabel_rfc6125_6_4_3() {
    assertThat(CertificateIdentity.matches(withDnsName("*.example.com"), "chat.example.com"))
        .isTrue();
  }

  @Test
  void wildcardDoesNotMatchTheParentDomain_rfc6125_6_4_3() {
    assertThat(CertificateIdentity.matches(withDnsName("*.example.com"), "example.com")).isFalse();
  }

  @Test
  void wildcardDoesNotMatchTwoLabels_rfc9525_6_3() {
    assertThat(CertificateIdentity.matches(withDnsName("*.example.com"), "a.b.example.com"))
        .isFalse();
  }

  @Test
  void partialWildcardNeverMatches_rfc9525_6_3() {
    assertThat(CertificateIdentity.matches(withDnsName("f*.example.com"), "foo.example.com"))
        .isFalse();
    assertThat(CertificateIdentity.matches(withDnsName("*oo.example.com"), "foo.example.com"))
        .isFalse();
    assertThat(CertificateIdentity.matches(withDnsName("xn--*.example.com"), "xn--a.example.com"))
        .isFalse();
  }

  @Test
  void wildcardOnlyAsTheLeftMostLabel_rfc9525_6_3() {
    assertThat(CertificateIdentity.matches(withDnsName("chat.*.com"), "chat.example.com"))
        .isFalse();
    assertThat(CertificateIdentity.matches(withDnsName("*.*.com"), "a.example.com")).isFalse();
  }

  @Test
  void wildcardOverATopLevelDomainNeverMatches() {
    assertThat(CertificateIdentity.matches(withDnsName("*.com"), "example.com")).isFalse();
    assertThat(CertificateIdentity.matches(withDnsName("*"), "example")).isFalse();
  }

  @Test
  void commonNameIsNeverUsed_rfc9525() {
    X509Certificate cnOnly = certificate("example.com").selfSigned().certificate();

    assertThat(CertificateIdentity.matches(cnOnly, "example.com")).isFalse();
    assertThat(CertificateIdentity.presentedIdentities(cnOnly)).isEmpty();
  }

  @Test
  void srvIdForXmppServerMatches_rfc6120_13_7_1_2_1() {
    X509Certificate certificate =
        certificate("test").srvName("_xmpp-server.example.com").selfSigned().certificate();

    assertThat(CertificateIdentity.matches(certificate, "example.com")).isTrue();
    assertThat(CertificateIdentity.matches(certificate, "example.org")).isFalse();
  }

  @Test
  void srvIdServiceIsCaseInsensitiveAndItsDomainMayBeAWildcard_rfc6125_6_5_1() {
    X509Certificate certificate =
        certificate("test").srvName("_XMPP-Server.*.example.com").selfSigned().certificate();

    assertThat(CertificateIdentity.matches(certificate, "chat.example.com")).isTrue();
    assertThat(CertificateIdentity.matches(certificate, "example.com")).isFalse();
  }

  @Test
  void srvIdForAnotherServiceDoesNotIdentifyAServer_rfc6125_6_5_1() {
    X509Certificate certificate =
        certificate("test").srvName("_xmpp-client.example.com").selfSigned().certificate();

    assertThat(CertificateIdentity.matches(certificate, "example.com")).isFalse();
  }

  @Test
  void xmppAddrWithABareDomainMatches_rfc6120_13_7_1_4() {
    X509Certificate certificate =
        certificate("test").xmppAddr("example.com").selfSigned().certificate();

    assertThat(CertificateIdentity.matches(certificate, "EXAMPLE.com")).isTrue();
    assertThat(CertificateIdentity.matches(certificate, "example.org")).isFalse();
  }

  @Test
  void xmppAddrMayHoldAUnicodeDomain_rfc6120_13_7_1_4() {
    X509Certificate certificate =
        certificate("test").xmppAddr("bücher.example").selfSigned().certificate();

    assertThat(CertificateIdentity.matches(certificate, "xn--bcher-kva.example")).isTrue();
    assertThat(CertificateIdentity.matches(certificate, "bücher.example")).isTrue();
  }

  @Test
  void xmppAddrOfAnAccountDoesNotIdentifyItsServer_rfc6120_13_7_1_4() {
    X509Certificate certificate =
        certificate("test")
            .xmppAddr("admin@example.com")
            .xmppAddr("example.com/resource")
            .selfSigned()
            .certificate();

    assertThat(CertificateIdentity.matches(certificate, "example.com")).isFalse();
  }

  @Test
  void xmppAddrIsNotAWildcard_rfc6120_13_7_1_4() {
    X509Certificate certificate =
        certificate("test").xmppAddr("*.example.com").selfSigned().certificate();

    assertThat(CertificateIdentity.matches(certificate, "chat.example.com")).isFalse();
  }

  @Test
  void unknownOtherNamesAreIgnored() {
    X509Certificate certificate =
        certificate("test")
            .otherName(
                new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"), new DERUTF8String("example.com"))
            .selfSigned()
            .certificate();

    assertThat(CertificateIdentity.presentedIdentities(certificate)).isEmpty();
    assertThat(CertificateIdentity.matches(certificate, "example.com")).isFalse();
  }

  @Test
  void malformedSubjectAltNamePresentsNothing() {
    // SEQUENCE of length 3 holding a dNSName that claims 5 bytes.
    byte[] corrupt = {0x30, 0x03, (byte) 0x82, 0x05, 0x61};
    X509Certificate certificate =
        certificate("example.com").rawSubjectAltName(corrupt).selfSigned().certificate();

    assertThat(CertificateIdentity.presentedIdentities(certificate)).isEmpty();
    assertThat(CertificateIdentity.matches(certificate, "example.com")).isFalse();
  }

  @Test
  void invalidOrIpReferenceDomainsMatchNothing() {
    X509Certificate certificate = withDnsName("192.0.2.1");

    assertThat(CertificateIdentity.matches(certificate, "192.0.2.1")).isFalse();
    assertThat(CertificateIdentity.matches(withDnsName("example.com"), "")).isFalse();
    assertThat(CertificateIdentity.matches(withDnsName("example.com"), "exa mple.com")).isFalse();
    assertThat(CertificateIdentity.matches(withDnsName("example.com"), "a..example.com")).isFalse();
  }

  @Test
  void presentedIdentitiesAreListedInCertificateOrder() {
    X509Certificate certificate =
        certificate("ignored.example")
            .dnsName("example.com")
            .srvName("_xmpp-server.example.com")
            .xmppAddr("example.com")
            .dnsName("*.example.com")
            .selfSigned()
            .certificate();

    assertThat(CertificateIdentity.presentedIdentities(certificate))
        .containsExactly(
            new PresentedIdentity(Type.DNS_ID, "example.com"),
            new PresentedIdentity(Type.SRV_ID, "_xmpp-server.example.com"),
            new PresentedIdentity(Type.XMPP_ADDR, "example.com"),
            new PresentedIdentity(Type.DNS_ID, "*.example.com"));
  }

  @Test
  void jdkAndBouncyCastleReadTheSameIdentities() {
    // dNSNames only are read by the JDK alone; with an otherName, BouncyCastle reads them all.
    List<X509Certificate> certificates =
        List.of(
            certificate("a")
                .dnsName("example.com")
                .dnsName("*.example.com")
                .selfSigned()
                .certificate(),
            certificate("b")
                .dnsName("b\u00fccher.example")
                .dnsName("f*.example.com")
                .selfSigned()
                .certificate(),
            certificate("c")
                .dnsName("example.com")
                .xmppAddr("example.com")
                .selfSigned()
                .certificate(),
            certificate("d").selfSigned().certificate());

    for (X509Certificate certificate : certificates) {
      assertThat(CertificateIdentity.presentedIdentities(certificate))
          .isEqualTo(BouncyCastleSubjectAltNames.presentedIdentities(certificate));
    }
    assertThat(CertificateIdentity.presentedIdentities(certificates.get(0)))
        .containsExactly(
            new PresentedIdentity(Type.DNS_ID, "example.com"),
            new PresentedIdentity(Type.DNS_ID, "*.example.com"));
  }

  @Test
  void presentedIdentityPrintsItsSpecName() {
    assertThat(new PresentedIdentity(Type.SRV_ID, "_xmpp-server.example.com"))
        .hasToString("SRV-ID:_xmpp-server.example.com");
  }
}
