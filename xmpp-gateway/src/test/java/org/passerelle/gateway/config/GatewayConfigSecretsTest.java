package org.passerelle.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.model.config.ConfigException;
import org.passerelle.model.config.Environment;
import org.passerelle.testpeers.IssuedCertificate;
import org.passerelle.testpeers.TestCa;

/**
 * Secrets in the gateway's configuration come from files or the environment, and no string form of
 * the loaded configuration, nor any error about it, shows them.
 */
class GatewayConfigSecretsTest {
  private static final String LINK_SECRET = "gateway-link-secret-0003";
  private static final String STORE_PASSWORD = "store-password-0004";

  @TempDir Path dir;
  private IssuedCertificate cert;
  private Path ca;

  @BeforeEach
  void files() throws Exception {
    TestCa authority = TestCa.create(dir.resolve("ca"));
    cert = authority.issue("gateway.sip.example.test");
    ca = authority.certificatePath();
    Files.writeString(dir.resolve("store-password"), STORE_PASSWORD + "\n");
  }

  private String yaml(String url) {
    return """
        domains: [sip.example.test]
        link:
          server: 127.0.0.130:23456
          secret: {env: LINK_SECRET}
          certificate: %s
          key: %s
          trust: [%s]
        sip: {bind: 127.0.0.130, udp: 5070, trusted-sources: [127.0.0.131]}
        store:
          url: %s
          user: passerelle
          password: {file: store-password}
        """
        .formatted(cert.certificatePem(), cert.privateKeyPem(), ca, url);
  }

  private static Environment environment() {
    return Environment.of(Map.of("LINK_SECRET", LINK_SECRET));
  }

  @Test
  void secretsAreReadFromFilesAndTheEnvironment() {
    GatewayConfig config =
        GatewayConfigLoader.parse(yaml("jdbc:postgresql://db.test/p"), dir, environment());

    assertThat(config.link().secret()).isEqualTo(LINK_SECRET);
    assertThat(config.store().password()).contains(STORE_PASSWORD);
  }

  @Test
  void theLoadedConfigurationsStringFormHidesEverySecret() {
    GatewayConfig config =
        GatewayConfigLoader.parse(
            yaml("'jdbc:postgresql://db.test/p?password=" + STORE_PASSWORD + "'"),
            dir,
            environment());

    assertThat(config.toString())
        .doesNotContain(LINK_SECRET)
        .doesNotContain(STORE_PASSWORD)
        .contains("secret=(set)")
        .contains("password=(set)");
  }

  @Test
  void aBadStoreUrlIsNamedWithoutItsPassword() {
    assertThatThrownBy(
            () ->
                GatewayConfigLoader.parse(
                    yaml("'postgres://passerelle:" + STORE_PASSWORD + "@db.test/p'"),
                    dir,
                    environment()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("store.url must start with jdbc:sqlite: or jdbc:postgresql:")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(STORE_PASSWORD));
  }

  @Test
  void errorsInAFileWithSecretsDoNotShowThem() {
    String yaml = yaml("jdbc:postgresql://db.test/p") + "im: {max-body-bytez: 10}\n";
    assertThatThrownBy(() -> GatewayConfigLoader.parse(yaml, dir, environment()))
        .hasMessageContaining("im.max-body-bytez: unknown key")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(LINK_SECRET, STORE_PASSWORD));
  }
}
