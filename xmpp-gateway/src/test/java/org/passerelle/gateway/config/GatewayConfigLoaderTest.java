package org.passerelle.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
}
