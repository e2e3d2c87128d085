package org.passerelle.gateway.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The addresses of {@code sip.trusted-sources}: literals and prefixes (RFC 4632 §3.1), no names.
 */
class AddressRangeTest {

  @Test
  void aSingleAddressContainsOnlyItself() throws Exception {
    AddressRange server = AddressRange.parse("192.0.2.7");

    assertThat(server.contains(InetAddress.getByName("192.0.2.7"))).isTrue();
    assertThat(server.contains(InetAddress.getByName("192.0.2.8"))).isFalse();
    assertThat(server).hasToString("192.0.2.7");
  }

  @Test
  void aPrefixContainsItsAddressesOnly() throws Exception {
    AddressRange pool = AddressRange.parse("10.1.16.0/20");

    assertThat(pool.contains(InetAddress.getByName("10.1.16.1"))).isTrue();
    assertThat(pool.contains(InetAddress.getByName("10.1.31.255"))).isTrue();
    assertThat(pool.contains(InetAddress.getByName("10.1.32.0"))).isFalse();
    assertThat(pool.contains(InetAddress.getByName("::ffff:10.1.16.1"))).isTrue();
  }

  @Test
  void ipv6PrefixesWorkAndNeverMatchIpv4() throws Exception {
    AddressRange v6 = AddressRange.parse("2001:db8::/32");

    assertThat(v6.contains(InetAddress.getByName("2001:db8:1::5"))).isTrue();
    assertThat(v6.contains(InetAddress.getByName("2001:db9::5"))).isFalse();
    assertThat(v6.contains(InetAddress.getByName("192.0.2.1"))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sip.example.com", "localhost", "10.0.0.0/33", "10.0.0.0/x", "", "/8"})
  void namesAndBadPrefixesAreRefusedWithTheText(String text) {
    assertThatThrownBy(() -> AddressRange.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "' is not an IP address or a prefix");
  }

  @Test
  void trustedSourcesKnowTheServerAndTheLocalDomains() throws Exception {
    TrustedSources trusted =
        new TrustedSources(Set.of("Sip.Example.Test"), List.of(AddressRange.parse("127.0.0.3")));

    assertThat(trusted.isTrusted(InetAddress.getByName("127.0.0.3"))).isTrue();
    assertThat(trusted.isTrusted(InetAddress.getByName("127.0.0.4"))).isFalse();
    assertThat(trusted.isLocal("sip.example.TEST")).isTrue();
    assertThat(trusted.isLocal("xmpp.example.test")).isFalse();
    assertThat(trusted.isLocal(null)).isFalse();
  }
}
