package org.passerelle.gateway.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.gateway.XmppGateway;
import org.passerelle.gateway.config.GatewayConfig;
import org.passerelle.gateway.sip.SipSettings;
import org.passerelle.testpeers.IssuedCertificate;
import org.passerelle.testpeers.TestCa;

/**
 * Whatever is wrong in what the gateway's configuration names is found before it binds a SIP port:
 * the link's key material is read before the SIP endpoint listens.
 */
class GatewayStartRefusesBadConfigurationTest {
  private static final String ADDRESS = "127.0.0.158";

  @TempDir Path dir;

  @Test
  void aLinkKeyFileThatHoldsNoKeyStopsTheStartBeforeTheSipPortIsBound() throws Exception {
    TestCa ca = TestCa.create(dir.resolve("ca"));
    IssuedCertificate cert = ca.issue("gateway.sip.test");
    Path notAKey = Files.writeString(dir.resolve("gateway.key"), "not a key\n");
    int sipPort = Deployment.freeTcpPort(ADDRESS);
    GatewayConfig config =
        new GatewayConfig(
            Set.of("sip.test"),
            new GatewayConfig.Link(
                new InetSocketAddress(ADDRESS, 1),
                "a link secret",
                true,
                cert.certificatePem(),
                notAKey,
                List.of(ca.certificatePath()),
                true,
                Duration.ofSeconds(10),
                1000),
            SipSettings.builder(InetAddress.getByName(ADDRESS))
                .udp(sipPort)
                .tcp(sipPort)
                .domains(SipSettings.ANY_DOMAIN)
                .build(),
            new GatewayConfig.Im(16 * 1024, 1000),
            dir.resolve("data"));

    // Another process holds the SIP port: had the gateway bound it first, that would be its error.
    InetSocketAddress sip = new InetSocketAddress(ADDRESS, sipPort);
    try (ServerSocket tcp = new ServerSocket();
        DatagramSocket udp = new DatagramSocket(sip)) {
      tcp.bind(sip);
      assertThat(udp.getLocalPort()).isEqualTo(tcp.getLocalPort());

      assertThatThrownBy(() -> XmppGateway.start(config))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(notAKey.toString());
    }
  }
}
