package org.passerelle.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.model.config.ConfigException;
import org.passerelle.model.config.Environment;
import org.passerelle.testpeers.IssuedCertificate;
import org.passerelle.testpeers.TestCa;

/**
 * Secrets in the proxy's configuration come from files or the environment, and no string form of
 * the loaded configuration, nor any error about it, shows them.
 */
class ProxyConfigSecretsTest {
  private static final String LINK_SECRET = "link-secret-from-a-file-0001";
  private static final String DIALBACK_SECRET = "dialback-secret-from-env-0002";

  @TempDir Path dir;
  private IssuedCertificate cert;
  private Path ca;

  @BeforeEach
  void files() throws Exception {
    TestCa authority = TestCa.create(dir.resolve("ca"));
    cert = authority.issue("sip.example.test");
    ca = authority.certificatePath();
    Files.writeString(dir.resolve("link.secret"), LINK_SECRET + "\n");
  }

  private String yaml(String extra) {
    return """
        domains: [sip.example.test]
        listen: 127.0.0.130:5269
        tls:
          pkcs12: %s
          pkcs12-password: {env: P12_PASSWORD}
        dialback:
          secret: {env: DIALBACK_SECRET}
        link:
          listen: 127.0.0.130:23456
          secret: {file: link.secret}
          trust: [%s]
        %s"""
        .formatted(cert.pkcs12(), ca, extra);
  }

  private Environment environment() {
    return Environment.of(
        Map.of("P12_PASSWORD", cert.pkcs12Password(), "DIALBACK_SECRET", DIALBACK_SECRET));
  }

  @Test
  void secretsAreReadFromFilesAndTheEnvironment() {
    ProxyConfig config = ProxyConfigLoader.parse(yaml(""), dir, environment());

    assertThat(config.link().orElseThrow().secret()).isEqualTo(LINK_SECRET);
    assertThat(config.dialback().secret()).contains(DIALBACK_SECRET);
    assertThat(config.tls().pkcs12Password()).isEqualTo(cert.pkcs12Password());
  }

  @Test
  void theLoadedConfigurationsStringFormHidesEverySecret() {
    ProxyConfig config = ProxyConfigLoader.parse(yaml(""), dir, environment());

    assertThat(config.toString())
        .doesNotContain(LINK_SECRET)
        .doesNotContain(DIALBACK_SECRET)
        .doesNotContain(cert.pkcs12Password())
        .contains("secret=(set)")
        .contains("pkcs12Password=(set)");
  }

  @Test
  void errorsInAFileWithSecretsDoNotShowThem() {
    assertThatThrownBy(
            () -> ProxyConfigLoader.parse(yaml("limits: {max-depht: 3}\n"), dir, environment()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("limits.max-depht: unknown key")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(LINK_SECRET, DIALBACK_SECRET));
  }

  @Test
  void aTooShortSecretIsRefusedWithoutShowingIt() throws Exception {
    Files.writeString(dir.resolve("link.secret"), "short-1");
    assertThatThrownBy(() -> ProxyConfigLoader.parse(yaml(""), dir, environment()))
        .hasMessage("link.secret must be at least 16 characters")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("short-1"));

    Environment shortDialback =
        Environment.of(Map.of("P12_PASSWORD", cert.pkcs12Password(), "DIALBACK_SECRET", "tiny-2"));
    Files.writeString(dir.resolve("link.secret"), LINK_SECRET);
    assertThatThrownBy(() -> ProxyConfigLoader.parse(yaml(""), dir, shortDialback))
        .hasMessageStartingWith("dialback.secret must be at least 16 characters")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("tiny-2"));
  }

  @Test
  void aMissingVariableIsNamedNotGuessed() {
    assertThatThrownBy(() -> ProxyConfigLoader.parse(yaml(""), dir, Environment.of(Map.of())))
        .hasMessage(
            "tls.pkcs12-password names environment variable P12_PASSWORD, which is not set");
  }

  @Test
  void brokenYamlOnASecretsLineDoesNotQuoteIt() {
    String broken = "domains: [sip.example.test]\ndialback: {secret: \"" + DIALBACK_SECRET + "\n";
    assertThatThrownBy(() -> ProxyConfigLoader.parse(broken, dir, environment()))
        .hasMessageStartingWith("configuration is not valid YAML at line")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(DIALBACK_SECRET));
  }

  @Test
  void recordsBuiltInCodeHideTheirSecretsToo() {
    ProxyConfig.Dialback dialback = new ProxyConfig.Dialback(true, Optional.of(DIALBACK_SECRET));
    assertThat(dialback.toString()).isEqualTo("Dialback[enabled=true, secret=(set)]");
    assertThat(new ProxyConfig.Dialback(true, Optional.empty()).toString())
        .isEqualTo("Dialback[enabled=true, secret=(none)]");
  }
}
