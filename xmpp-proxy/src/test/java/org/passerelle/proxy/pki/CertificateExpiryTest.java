package org.passerelle.proxy.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.model.config.ConfigException;
import org.passerelle.proxy.XmppProxy;
import org.passerelle.proxy.config.ProxyConfig;
import org.passerelle.proxy.pki.CertificateExpiry.Finding;
import org.passerelle.proxy.pki.CertificateExpiry.State;
import org.passerelle.proxy.policy.FederationPolicy;
import org.passerelle.stream.StreamLimits;

/**
 * Warnings ahead of expiry for our chain and our trust anchors (RFC 5280 §4.1.2.5), and no start
 * with an expired certificate of our own.
 */
class CertificateExpiryTest {
  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final Duration WINDOW = Duration.ofDays(30);

  @TempDir Path dir;

  @Test
  void aCertificateWithinTheWindowIsExpiringWithTheDaysLeft() throws Exception {
    X509Certificate soon =
        certificate(NOW.minus(Duration.ofDays(300)), NOW.plus(Duration.ofDays(12)));

    List<Finding> findings = CertificateExpiry.check("ours", List.of(soon), NOW, WINDOW);

    assertThat(findings).singleElement().extracting(Finding::state).isEqualTo(State.EXPIRING);
    assertThat(findings.get(0).message())
        .contains("ours CN=a.test expires on")
        .contains("in 12 day(s)");
  }

  @Test
  void aCertificateBeyondTheWindowNeedsNoAttention() throws Exception {
    X509Certificate later =
        certificate(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(31)));

    assertThat(CertificateExpiry.check("ours", List.of(later), NOW, WINDOW)).isEmpty();
  }

  @Test
  void expiredAndNotYetValidCertificatesAreTold() throws Exception {
    X509Certificate expired = certificate(NOW.minus(Duration.ofDays(400)), NOW.minusSeconds(1));
    X509Certificate future =
        certificate(NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(400)));

    List<Finding> findings =
        CertificateExpiry.check("anchor", List.of(expired, future), NOW, WINDOW);

    assertThat(findings)
        .extracting(Finding::state)
        .containsExactly(State.EXPIRED, State.NOT_YET_VALID);
    assertThat(findings.get(0).message()).contains("expired on");
    assertThat(findings.get(1).message()).contains("is not valid until");
  }

  @Test
  void theWatchLooksAtOurChainAndTheConfiguredAnchors() throws Exception {
    X509Certificate own = certificate(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(5)));
    X509Certificate anchor =
        certificate(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(20)));
    ExpiryWatch watch = new ExpiryWatch(List.of(own), List.of(anchor), WINDOW, clock());

    List<Finding> findings = watch.checkNow();

    assertThat(findings)
        .extracting(Finding::role)
        .containsExactly("our certificate (tls.certificate)", "trust anchor (tls.trust)");
    assertThat(watch.ownCertificateProblem()).as("expiring is not yet a reason to stop").isEmpty();
  }

  @Test
  void anExpiredCertificateOfOursIsAReasonNotToStart() throws Exception {
    X509Certificate own =
        certificate(NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(2)));
    ExpiryWatch watch = new ExpiryWatch(List.of(own), List.of(), WINDOW, clock());

    assertThat(watch.ownCertificateProblem())
        .hasValueSatisfying(
            problem ->
                assertThat(problem)
                    .contains("our certificate (tls.certificate) CN=a.test expired on")
                    .contains("renew it"));
  }

  @Test
  void theProxyRefusesToStartWithAnExpiredCertificate() throws Exception {
    Instant now = Instant.now();
    DatedCertificates.make(
        "a.test", now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(1)), dir);
    ProxyConfig config =
        new ProxyConfig(
            Set.of("a.test"),
            new InetSocketAddress("127.0.0.1", 0),
            new ProxyConfig.Tls(
                dir.resolve("a.test.crt"), dir.resolve("a.test.key"), null, null, List.of(), true),
            new ProxyConfig.Dialback(true, Optional.empty()),
            Map.of(),
            StreamLimits.DEFAULTS,
            ProxyConfig.Timeouts.DEFAULTS,
            100,
            dir.resolve("data"),
            Optional.empty(),
            FederationPolicy.builder(ProxyConfig.partnerDefaults(true, true)).build());

    assertThatThrownBy(() -> XmppProxy.start(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("our certificate (tls.certificate) CN=a.test expired on")
        .hasMessageContaining("peers would refuse every stream");
  }

  private X509Certificate certificate(Instant notBefore, Instant notAfter) throws Exception {
    return DatedCertificates.make("a.test", notBefore, notAfter, null);
  }

  private static Clock clock() {
    return Clock.fixed(NOW, ZoneOffset.UTC);
  }
}
