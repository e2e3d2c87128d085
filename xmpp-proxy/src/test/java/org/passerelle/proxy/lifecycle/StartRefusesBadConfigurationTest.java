package org.passerelle.proxy.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.model.config.ConfigException;
import org.passerelle.proxy.XmppProxy;
import org.passerelle.proxy.config.ProxyConfig;
import org.passerelle.proxy.policy.FederationPolicy;
import org.passerelle.stream.StreamLimits;
import org.passerelle.testpeers.IssuedCertificate;
import org.passerelle.testpeers.TestCa;

/**
 * Whatever is wrong in what the configuration names is found before the proxy binds a port: a
 * supervisor restarting a misconfigured proxy must not leave it half-listening, and a port taken by
 * another process must not keep the proxy's other port bound.
 */
class StartRefusesBadConfigurationTest {
  private static final String ADDRESS = "127.0.0.152";

  @TempDir Path dir;

  private TestCa ca;
  private IssuedCertificate cert;
  private InetSocketAddress s2s;
  private InetSocketAddress link;

  @BeforeEach
  void setUp() throws Exception {
    ca = TestCa.create(dir.resolve("ca"));
    cert = ca.issue("a.test");
    s2s = new InetSocketAddress(ADDRESS, ProxyPair.freePort(ADDRESS));
    link = new InetSocketAddress(ADDRESS, ProxyPair.freePort(ADDRESS));
  }

  @Test
  void aKeyFileThatHoldsNoKeyStopsTheStartBeforeAnyPortIsBound() throws Exception {
    Path notAKey = Files.writeString(dir.resolve("a.key"), "this is not a PEM key\n");
    ProxyConfig config =
        config(
            new ProxyConfig.Tls(cert.certificatePem(), notAKey, null, null, List.of(), true),
            List.of(ca.certificatePath()));

    assertThatThrownBy(() -> XmppProxy.start(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("tls.certificate/tls.key: ")
        .hasMessageContaining(notAKey.toString());

    assertFree(s2s);
    assertFree(link);
  }

  @Test
  void aLinkTrustFileThatHoldsNoCertificateStopsTheStartBeforeAnyPortIsBound() throws Exception {
    Path notACa = Files.writeString(dir.resolve("gateways-ca.crt"), "no certificate here\n");
    ProxyConfig config = config(tls(), List.of(notACa));

    assertThatThrownBy(() -> XmppProxy.start(config)).isInstanceOf(Exception.class);

    assertFree(s2s);
    assertFree(link);
  }

  @Test
  void whenTheServerPortIsTakenTheLinkPortIsFreeAgainBeforeStartFails() throws Exception {
    ProxyConfig config = config(tls(), List.of(ca.certificatePath()));

    try (ServerSocket squatter = new ServerSocket()) {
      squatter.bind(s2s);
      assertThatThrownBy(() -> XmppProxy.start(config)).isInstanceOf(Exception.class);
      assertFree(link);
    }
  }

  private ProxyConfig.Tls tls() {
    return new ProxyConfig.Tls(
        cert.certificatePem(), cert.privateKeyPem(), null, null, List.of(), true);
  }

  private ProxyConfig config(ProxyConfig.Tls tls, List<Path> linkTrust) {
    return new ProxyConfig(
        Set.of("a.test"),
        s2s,
        tls,
        new ProxyConfig.Dialback(true, Optional.empty()),
        Map.of(),
        StreamLimits.DEFAULTS,
        ProxyConfig.Timeouts.DEFAULTS,
        1000,
        dir.resolve("data"),
        Optional.of(
            new ProxyConfig.Link(
                link, "a link secret long enough", linkTrust, Duration.ofSeconds(30), 1000)),
        FederationPolicy.builder(ProxyConfig.partnerDefaults(true, true)).build());
  }

  private static void assertFree(InetSocketAddress address) throws IOException {
    try (ServerSocket probe =
        new ServerSocket(address.getPort(), 1, InetAddress.getByName(ADDRESS))) {
      assertThat(probe.getLocalPort()).as("%s is free", address).isEqualTo(address.getPort());
    }
  }
}
