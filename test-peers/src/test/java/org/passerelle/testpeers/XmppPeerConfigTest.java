package org.passerelle.testpeers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XmppPeerConfigTest {

  @TempDir static Path dir;
  private static TestCa ca;
  private static IssuedCertificate pTest;

  @BeforeAll
  static void issue() {
    ca = TestCa.create(dir);
    pTest = ca.issue("p.test");
  }

  @Test
  void defaultsToDialbackAndTwentySecondStartTimeout() {
    XmppPeerConfig config =
        XmppPeerConfig.builder("p.test", "127.0.0.9").certificate(pTest).build();

    assertThat(config.security()).isEqualTo(S2sSecurity.TLS_DIALBACK);
    assertThat(config.startTimeout()).isEqualTo(XmppPeerConfig.DEFAULT_START_TIMEOUT);
    assertThat(config.trustedCa()).isEmpty();
    assertThat(config.address().getHostAddress()).isEqualTo("127.0.0.9");
  }

  @Test
  void keepsOtherDomainsInOrder() {
    XmppPeerConfig config =
        XmppPeerConfig.builder("p.test", "127.0.0.9")
            .certificate(pTest)
            .resolve("passerelle.test", "127.0.0.10")
            .resolve("e.test", "127.0.0.8")
            .build();

    assertThat(config.hosts().keySet()).containsExactly("passerelle.test", "e.test");
    assertThat(config.hosts().get("e.test").getHostAddress()).isEqualTo("127.0.0.8");
  }

  @Test
  void onlyLoopbackAddressesAreAllowed() {
    assertThatThrownBy(() -> XmppPeerConfig.builder("p.test", "10.0.0.9"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> XmppPeerConfig.builder("p.test", "localhost"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> XmppPeerConfig.builder("p.test", "127.0.0.9").resolve("e.test", "192.168.1.8"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void certificateIsRequiredAndMustNameTheDomain() {
    assertThatThrownBy(() -> XmppPeerConfig.builder("p.test", "127.0.0.9").build())
        .hasMessageContaining("certificate is required");
    assertThatThrownBy(
            () -> XmppPeerConfig.builder("e.test", "127.0.0.8").certificate(pTest).build())
        .hasMessageContaining("the certificate is for p.test");
  }

  @Test
  void saslExternalNeedsATrustedCa() {
    XmppPeerConfig.Builder builder =
        XmppPeerConfig.builder("p.test", "127.0.0.9")
            .certificate(pTest)
            .security(S2sSecurity.TLS_SASL_EXTERNAL);

    assertThatThrownBy(builder::build).hasMessageContaining("needs a trusted CA");
    assertThat(builder.trustedCa(ca.certificatePath()).build().trustedCa())
        .contains(ca.certificatePath());
  }

  @Test
  void ownDomainCannotBeResolvedElsewhere() {
    assertThatThrownBy(
            () ->
                XmppPeerConfig.builder("p.test", "127.0.0.9")
                    .certificate(pTest)
                    .resolve("p.test", "127.0.0.10")
                    .build())
        .hasMessageContaining("other domains only");
  }
}
