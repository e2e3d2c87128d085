package org.passerelle.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.gateway.presence.RpidActivity;
import org.passerelle.gateway.presence.Show;
import org.passerelle.gateway.presence.ShowMapping;
import org.passerelle.gateway.sip.AddressRange;
import org.passerelle.gateway.sip.RequestRate;
import org.passerelle.gateway.sip.TrustedSources;
import org.passerelle.model.config.AdminSettings;
import org.passerelle.model.config.ConfigException;
import org.passerelle.testpeers.IssuedCertificate;
import org.passerelle.testpeers.TestCa;

/** The gateway's configuration file: the shipped example loads, and mistakes are named. */
class GatewayConfigLoaderTest {
  @TempDir Path dir;

  @BeforeEach
  void certificates() throws Exception {
    Path certs = Files.createDirectories(dir.resolve("certs"));
    TestCa ca = TestCa.create(dir.resolve("ca"));
    IssuedCertificate cert = ca.issue("gateway.sip.example.test");
    Files.copy(cert.certificatePem(), certs.resolve("gateway.crt"));
    Files.copy(cert.privateKeyPem(), certs.resolve("gateway.key"));
    Files.copy(ca.certificatePath(), certs.resolve("ca.crt"));
  }

  @Test
  void theShippedExampleLoads() throws Exception {
    Path example = Files.copy(Path.of("../examples/gateway.yml"), dir.resolve("gateway.yml"));

    GatewayConfig config = GatewayConfigLoader.load(example);

    assertThat(config.domains()).containsExactly("sip.example.test");
    assertThat(config.link().server().getPort()).isEqualTo(23456);
    assertThat(config.link().tls()).isTrue();
    assertThat(config.sip().outboundProxy()).isPresent();
    assertThat(config.im().maxBodyBytes()).isEqualTo(16384);
    assertThat(config.shutdown().drain()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.sip().trustedSources().orElseThrow().addresses())
        .extracting(AddressRange::toString)
        .containsExactly("127.0.0.3");
    assertThat(config.sip().requestRate()).isEqualTo(RequestRate.DEFAULT);
    assertThat(config.admin().orElseThrow().listen())
        .isEqualTo(new InetSocketAddress("127.0.0.1", AdminSettings.DEFAULT_GATEWAY_PORT));
  }

  @Test
  void withoutAnAdminSectionTheAdminEndpointIsOff() {
    assertThat(GatewayConfigLoader.parse(MINIMAL, dir).admin()).isEmpty();
  }

  @Test
  void adminListenIsCheckedLikeEveryAddress() {
    assertThatThrownBy(
            () -> GatewayConfigLoader.parse(MINIMAL + "admin: {listen: '127.0.0.1:0'}\n", dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("admin.listen port must be between 1 and 65535");
    assertThatThrownBy(
            () ->
                GatewayConfigLoader.parse(
                    MINIMAL + "admin: {listen: 127.0.0.1:9270, auth: none}\n", dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("admin.auth: unknown key");
  }

  @Test
  void trustedSourcesAndRequestRateAreRead() {
    GatewayConfig config =
        GatewayConfigLoader.parse(
            "domains: [sip.test]\nlink: {secret: s, tls: false}\nsip: {bind: 127.0.0.1, udp:"
                + " 5070, trusted-sources: [10.0.0.0/24, '2001:db8::5'], request-rate: 5,"
                + " request-burst: 10}\n",
            dir);

    TrustedSources trusted = config.sip().trustedSources().orElseThrow();
    assertThat(trusted.addresses())
        .extracting(AddressRange::toString)
        .containsExactly("10.0.0.0/24", "2001:db8:0:0:0:0:0:5");
    assertThat(trusted.localDomains()).containsExactly("sip.test");
    assertThat(config.sip().requestRate()).isEqualTo(new RequestRate(5, 10));
  }

  @Test
  void trustedSourceThatIsNotAnAddressIsRefusedByName() {
    assertThatThrownBy(
            () ->
                GatewayConfigLoader.parse(
                    "domains: [sip.test]\nlink: {secret: s, tls: false}\nsip: {bind: 127.0.0.1,"
                        + " udp: 5070, trusted-sources: [kamailio.example.test]}\n",
                    dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sip.trusted-sources 'kamailio.example.test' is not an IP address");
  }

  @Test
  void noWayToKnowTheSipServerIsRefused() {
    // Without it, anyone could send as a local user.
    assertThatThrownBy(
            () ->
                GatewayConfigLoader.parse(
                    "domains: [sip.test]\nlink: {secret: s, tls: false}\nsip: {bind: 127.0.0.1,"
                        + " udp: 5070, outbound-proxy: 'sip.example.test:5060'}\n",
                    dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sip.trusted-sources must list the SIP server's addresses");
  }

  @Test
  void zeroRequestRateIsRefusedByName() {
    assertThatThrownBy(
            () ->
                GatewayConfigLoader.parse(
                    "domains: [sip.test]\nlink: {secret: s, tls: false}\nsip: {bind: 127.0.0.1,"
                        + " udp: 5070, trusted-sources: [127.0.0.3], request-rate: 0}\n",
                    dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sip.request-rate must be between 1 and");
  }

  @Test
  void tlsLinkWithoutCertificateIsRefused() {
    assertThatThrownBy(
            () ->
                GatewayConfigLoader.parse(
                    "domains: [sip.test]\nlink: {secret: s}\nsip: {bind: 127.0.0.1, udp: 5070}\n",
                    dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("link.certificate, link.key and link.trust are required");
  }

  @Test
  void sipWithoutAnyTransportIsRefused() {
    assertThatThrownBy(
            () ->
                GatewayConfigLoader.parse(
                    "domains: [sip.test]\nlink: {secret: s, tls: false}\nsip: {bind: 127.0.0.1}\n",
                    dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sip: enable at least one of UDP, TCP and TLS");
  }

  @Test
  void unknownKeyIsRefusedByName() {
    assertThatThrownBy(
            () ->
                GatewayConfigLoader.parse(
                    "domains: [sip.test]\nlink: {secret: s, tls: false}\nsip: {bind: 127.0.0.1,"
                        + " udp: 5070, outbound_proxy: x}\n",
                    dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sip.outbound_proxy: unknown key");
  }

  @Test
  void theRemovedSipQueueIsRefusedNamingWhatBoundsSipNow() {
    assertThatThrownBy(() -> GatewayConfigLoader.parse(MINIMAL + "im: {sip-queue: 10000}\n", dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("im.sip-queue was removed")
        .hasMessageContaining("im.sip-in-flight");
  }

  @Test
  void sipInFlightIsRead() throws Exception {
    assertThat(GatewayConfigLoader.parse(MINIMAL + "im: {sip-in-flight: 300}\n", dir).im())
        .isEqualTo(new GatewayConfig.Im(16 * 1024, 100_000, 300));
  }

  private static final String MINIMAL =
      "domains: [sip.test]\nlink: {secret: s, tls: false}\nsip: {bind: 127.0.0.1, udp: 5070,"
          + " trusted-sources: [127.0.0.3]}\n";

  @Test
  void presenceSettingsDefaultToAnHourAndTheStandardTable() {
    GatewayConfig config = GatewayConfigLoader.parse(MINIMAL, dir);

    assertThat(config.presence().lifetime()).isEqualTo(Duration.ofHours(1));
    assertThat(config.presence().showMapping()).isEqualTo(ShowMapping.defaults());
  }

  @Test
  void presenceSectionSetsLifetimePacingAndMappingRows() {
    GatewayConfig config =
        GatewayConfigLoader.parse(
            MINIMAL
                + "presence: {subscription-lifetime: 8h, restore-rate: 500,"
                + " show-mapping: {show.xa: away+idle, activity.meal: dnd}}\n",
            dir);

    assertThat(config.presence().lifetime()).isEqualTo(Duration.ofHours(8));
    assertThat(config.presence().restoreRate()).isEqualTo(500);
    assertThat(config.presence().showMapping().toRpid(Show.XA))
        .isEqualTo(new ShowMapping.Rpid(RpidActivity.AWAY, true));
  }

  @Test
  void aSubscriptionLifetimeUnderAMinuteIsRefusedByName() {
    assertThatThrownBy(
            () ->
                GatewayConfigLoader.parse(
                    MINIMAL + "presence: {subscription-lifetime: 10s}\n", dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("presence.subscription-lifetime")
        .hasMessageContaining("from 1m to 24h");
  }

  @Test
  void aWrongShowMappingRowIsRefusedByName() {
    assertThatThrownBy(
            () ->
                GatewayConfigLoader.parse(
                    MINIMAL + "presence: {show-mapping: {show.sleepy: away}}\n", dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("presence.show-mapping")
        .hasMessageContaining("sleepy");
  }

  @Test
  void theDrainLimitDefaultsToTenSecondsAndCanBeSet() {
    assertThat(GatewayConfigLoader.parse(MINIMAL, dir).shutdown().drain())
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(
            GatewayConfigLoader.parse(MINIMAL + "shutdown: {drain: 500ms}\n", dir)
                .shutdown()
                .drain())
        .isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void aDrainLongerThanFiveMinutesIsRefusedByName() {
    assertThatThrownBy(() -> GatewayConfigLoader.parse(MINIMAL + "shutdown: {drain: 1h}\n", dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("shutdown.drain must be at most 5m");
  }

  @Test
  void wakeUpsAreCoalescedForOneMillisecondUnlessIoSaysOtherwise() {
    assertThat(GatewayConfigLoader.parse(MINIMAL, dir).io().coalesce())
        .isEqualTo(Duration.ofMillis(1));
    assertThat(GatewayConfigLoader.parse(MINIMAL + "io: {coalesce: 0}\n", dir).io().coalesce())
        .isZero();
    assertThatThrownBy(() -> GatewayConfigLoader.parse(MINIMAL + "io: {coalesce: 1s}\n", dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("io.coalesce must be at most 10ms");
  }
}
