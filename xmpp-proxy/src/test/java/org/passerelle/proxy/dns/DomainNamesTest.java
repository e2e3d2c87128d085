package org.passerelle.proxy.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class DomainNamesTest {

  @Test
  void domainIsLowerCasedWithoutTrailingDot() {
    assertThat(DomainNames.normalize("XMPP.Example.ORG.")).isEqualTo("xmpp.example.org");
  }

  // RFC 6120 §3.2.1: SRV is asked for the domain in its DNS form; IDNs become A-labels.
  @Test
  void internationalizedDomainBecomesALabels() {
    assertThat(DomainNames.normalize("Bücher.example")).isEqualTo("xn--bcher-kva.example");
  }

  // RFC 1035 §2.3.4: at most 253 characters in text form.
  @Test
  void overlongDomainIsRejected() {
    String label = "a".repeat(63);
    String tooLong = String.join(".", label, label, label, label); // 255 characters

    assertThatIllegalArgumentException()
        .isThrownBy(() -> DomainNames.normalize(tooLong))
        .withMessageContaining("longer than 253");
  }

  @Test
  void ipLiteralsAreRecognizedButNotHostNames() {
    assertThat(DomainNames.ipLiteral("192.0.2.1")).contains(FakeDns.ip("192.0.2.1"));
    assertThat(DomainNames.ipLiteral("[2001:db8::1]")).contains(FakeDns.ip("2001:db8::1"));
    assertThat(DomainNames.ipLiteral("example.org")).isEmpty();
    assertThat(DomainNames.ipLiteral("192.0.2")).isEmpty();
  }
}
