package org.passerelle.proxy.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Constructor checks of the immutable values. */
class ValueTypesTest {

  private static final InetSocketAddress RESOLVED =
      new InetSocketAddress(FakeDns.ip("192.0.2.1"), 5269);

  @Test
  void connectTargetNeedsAResolvedAddressAndAPort() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                new ConnectTarget(
                    InetSocketAddress.createUnresolved("xmpp.example.org", 5269), "x", false));
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> new ConnectTarget(new InetSocketAddress(FakeDns.ip("192.0.2.1"), 0), "x", false));
  }

  // RFC 2782: priority, weight and port are 16-bit unsigned.
  @Test
  void serviceRecordFieldsAreSixteenBitUnsigned() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new ServiceRecord(SrvService.XMPP_SERVER, -1, 0, 5269, "x.example"));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new ServiceRecord(SrvService.XMPP_SERVER, 0, 65536, 5269, "x.example"));
    assertThat(new ServiceRecord(SrvService.XMPP_SERVER, 65535, 65535, 65535, "x.example"))
        .isNotNull();
  }

  @Test
  void lookupStatusMustMatchItsRecords() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                new SrvLookup(SrvService.XMPP_SERVER, "q.", LookupStatus.ANSWERED, List.of(), ""));
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                new AddressLookup(
                    "x.example",
                    AddressFamily.IPV4,
                    LookupStatus.NO_RECORDS,
                    List.of(FakeDns.ip("192.0.2.1")),
                    ""));
  }

  @Test
  void srvQueryNamesFollowRfc2782AndXep0368() {
    assertThat(SrvService.XMPP_SERVER.queryName("example.org"))
        .isEqualTo("_xmpp-server._tcp.example.org.");
    assertThat(SrvService.XMPPS_SERVER.queryName("example.org"))
        .isEqualTo("_xmpps-server._tcp.example.org.");
  }

  @Test
  void settingsRejectTimeoutsOutOfBounds() {
    DnsSettings defaults = DnsSettings.defaults();
    assertThat(defaults.ipv6Enabled()).isFalse();
    assertThat(defaults.resolveTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> defaults.withTimeouts(Duration.ZERO, Duration.ofSeconds(5)));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> defaults.withTimeouts(Duration.ofSeconds(6), Duration.ofSeconds(5)));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> defaults.withTimeouts(Duration.ofSeconds(1), Duration.ofMinutes(2)));
  }

  @Test
  void staticRoutesNormalizeDomainsAndRejectDuplicates() {
    StaticRoutes routes = StaticRoutes.startTls(Map.of("Example.ORG.", RESOLVED));

    assertThat(routes.routeFor("example.org")).contains(new StaticRoute(RESOLVED, false));
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> StaticRoutes.startTls(Map.of("example.org", RESOLVED, "EXAMPLE.org", RESOLVED)))
        .withMessageContaining("two static routes");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> StaticRoutes.startTls(Map.of("not a domain", RESOLVED)));
  }

  @Test
  void staticRouteHostNameIsCheckedAtConfigurationTime() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> new StaticRoute(InetSocketAddress.createUnresolved("bad host", 5269), false));
  }
}
