package org.passerelle.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.model.config.AdminSettings;
import org.passerelle.model.config.ConfigException;
import org.passerelle.proxy.dns.ResolutionRetry;
import org.passerelle.proxy.limits.InboundLimits;
import org.passerelle.stream.StreamLimits;
import org.passerelle.testpeers.IssuedCertificate;
import org.passerelle.testpeers.TestCa;

/** The proxy's configuration file: the shipped example loads, and mistakes are named. */
class ProxyConfigLoaderTest {
  @TempDir Path dir;

  @BeforeEach
  void certificates() throws Exception {
    Path certs = Files.createDirectories(dir.resolve("certs"));
    TestCa ca = TestCa.create(dir.resolve("ca"));
    IssuedCertificate cert = ca.issue("sip.example.test");
    Files.copy(cert.certificatePem(), certs.resolve("sip.example.test.crt"));
    Files.copy(cert.privateKeyPem(), certs.resolve("sip.example.test.key"));
    Files.copy(ca.certificatePath(), certs.resolve("ca.crt"));
  }

  @Test
  void theShippedExampleLoads() throws Exception {
    Path example = Files.copy(Path.of("../examples/proxy.yml"), dir.resolve("proxy.yml"));

    ProxyConfig config = ProxyConfigLoader.load(example);

    assertThat(config.domains()).containsExactly("sip.example.test");
    assertThat(config.listen().getPort()).isEqualTo(5269);
    assertThat(config.link()).isPresent();
    assertThat(config.link().get().listen().getPort()).isEqualTo(23456);
    assertThat(config.timeouts().idle()).isEqualTo(Duration.ofSeconds(600));
    assertThat(config.federation().decide("xmpp.example.test").allowed()).isTrue();
    assertThat(config.federation().addressOf("xmpp.example.test")).isPresent();
    assertThat(config.dataDir()).isEqualTo(dir.resolve("data/proxy"));
    assertThat(config.shutdown().drain()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.inbound()).isEqualTo(InboundLimits.DEFAULTS);
    assertThat(config.dns()).isEqualTo(ResolutionRetry.DEFAULTS);
    assertThat(config.limits()).isEqualTo(StreamLimits.DEFAULTS);
    assertThat(config.admin().orElseThrow().listen())
        .isEqualTo(new InetSocketAddress("127.0.0.1", AdminSettings.DEFAULT_PROXY_PORT));
  }

  @Test
  void hostileInputLimitsAreRead() {
    ProxyConfig config =
        load(
            base()
                + "limits: {connections: 500, connections-per-address: 10,"
                + " connections-per-domain: 4, stanza-rate: 50, stanza-burst: 100}\n"
                + "timeouts: {stanza: 10s}\n"
                + "dns: {negative-ttl: 1m, retries: 2, retry-backoff: 500ms}\n");

    assertThat(config.inbound()).isEqualTo(new InboundLimits(500, 10, 4, 50, 100));
    assertThat(config.limits().stanzaTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.dns())
        .isEqualTo(new ResolutionRetry(Duration.ofMinutes(1), 2, Duration.ofMillis(500)));
  }

  @Test
  void perAddressLimitAboveTheTotalIsRefusedByName() {
    assertThatThrownBy(
            () -> load(base() + "limits: {connections: 10, connections-per-address: 20}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("limits.connections-per-address must not exceed limits.connections");
  }

  @Test
  void aSmallTotalLowersTheDefaultPerAddressLimit() {
    ProxyConfig config = load(base() + "limits: {connections: 10}\n");

    assertThat(config.inbound().connectionsPerAddress()).isEqualTo(10);
  }

  @Test
  void zeroStanzaRateIsRefusedByName() {
    assertThatThrownBy(() -> load(base() + "limits: {stanza-rate: 0}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("limits.stanza-rate must be between 1 and");
  }

  @Test
  void dnsSettingsOutOfBoundsAreRefusedByName() {
    assertThatThrownBy(() -> load(base() + "dns: {retries: 11}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("dns.retries must be between 0 and 10");
    assertThatThrownBy(() -> load(base() + "dns: {negative-ttl: 2h}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("dns.negative-ttl must be at most 1h");
    assertThatThrownBy(() -> load(base() + "timeouts: {stanza: 0s}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("timeouts.stanza must be longer than zero");
  }

  @Test
  void withoutAnAdminSectionTheAdminEndpointIsOffAndAnEmptyOneTurnsItOn() {
    assertThat(load(base()).admin()).isEmpty();
    assertThat(load(base() + "admin:\n").admin().orElseThrow().listen())
        .isEqualTo(new InetSocketAddress("127.0.0.1", AdminSettings.DEFAULT_PROXY_PORT));
  }

  @Test
  void changingTheAdminEndpointNeedsARestart() {
    ProxyConfig before = load(base());
    ProxyConfig after = load(base() + "admin: {listen: 127.0.0.1:9300}\n");

    assertThat(before.changesNeedingRestart(after)).containsExactly("admin");
  }

  @Test
  void unknownKeyIsRefusedByName() {
    assertThatThrownBy(
            () ->
                load(
                    "domains: [a.test]\ntls: {certificate: certs/sip.example.test.crt, key: certs/sip.example.test.key, requierd: true}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tls.requierd: unknown key");
  }

  @Test
  void missingCertificateFileIsNamed() {
    assertThatThrownBy(
            () -> load("domains: [a.test]\ntls: {certificate: nope.crt, key: nope.key}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tls.certificate")
        .hasMessageContaining("nope.crt");
  }

  @Test
  void badDurationSaysWhatIsExpected() {
    assertThatThrownBy(() -> load(base() + "timeouts: {idle: 10}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("timeouts.idle must be a duration such as 500ms, 30s, 5m or 1h");
  }

  @Test
  void stanzaLimitBelowTheRfcMinimumIsRefused() {
    // RFC 6120 §13.12
    assertThatThrownBy(() -> load(base() + "limits: {max-stanza-bytes: 5000}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("limits.max-stanza-bytes must be between 10000");
  }

  @Test
  void noWayToAuthenticatePeersIsRefused() {
    assertThatThrownBy(
            () ->
                load(
                    "domains: [a.test]\ntls: {certificate: certs/sip.example.test.crt, key:"
                        + " certs/sip.example.test.key, required: false}\ndialback: {enabled: false}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("no peer could authenticate");
  }

  @Test
  void linkWithoutTrustedGatewayAuthorityIsRefused() {
    assertThatThrownBy(() -> load(base() + "link: {secret: a-long-enough-secret}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("link.trust");
  }

  @Test
  void theDrainLimitDefaultsToTenSecondsAndCanBeSet() {
    assertThat(load(base()).shutdown().drain()).isEqualTo(Duration.ofSeconds(10));
    assertThat(load(base() + "shutdown: {drain: 45s}\n").shutdown().drain())
        .isEqualTo(Duration.ofSeconds(45));
  }

  @Test
  void aDrainLongerThanFiveMinutesIsRefused() {
    assertThatThrownBy(() -> load(base() + "shutdown: {drain: 10m}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("shutdown.drain must be at most 5m");
  }

  @Test
  void aDrainWithoutUnitIsRefusedByName() {
    assertThatThrownBy(() -> load(base() + "shutdown: {drain: 10}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("shutdown.drain must be a duration");
  }

  @Test
  void aChangedDrainNeedsARestart() {
    ProxyConfig before = load(base());
    ProxyConfig after = load(base() + "shutdown: {drain: 30s}\n");

    assertThat(before.changesNeedingRestart(after)).containsExactly("shutdown");
  }

  @Test
  void wakeUpsAreCoalescedForOneMillisecondUnlessIoSaysOtherwise() {
    assertThat(load(base()).io().coalesce()).isEqualTo(Duration.ofMillis(1));
    assertThat(load(base() + "io: {coalesce: 300us}\n").io().coalesce())
        .isEqualTo(Duration.ofNanos(300_000));
  }

  @Test
  void aChangedCoalescingNeedsARestart() {
    ProxyConfig before = load(base());
    ProxyConfig after = load(base() + "io: {coalesce: 0}\n");

    assertThat(before.changesNeedingRestart(after)).containsExactly("io");
  }

  private String base() {
    return "domains: [a.test]\ntls: {certificate: certs/sip.example.test.crt, key: certs/sip.example.test.key}\n";
  }

  private ProxyConfig load(String yaml) {
    return ProxyConfigLoader.parse(yaml, dir);
  }
}
