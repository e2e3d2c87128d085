package org.passerelle.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.passerelle.gateway.config.GatewayConfig;
import org.passerelle.gateway.config.GatewayConfigLoader;
import org.passerelle.model.config.ConfigException;
import org.passerelle.model.config.ConfigReader;

class StoreSettingsTest {

  private static final Path DATA = Path.of("/var/lib/passerelle");

  /** A gateway configuration without a store section. */
  private static final String MINIMAL_GATEWAY =
      """
      domains: [sip.example.com]
      link: {secret: s, tls: false, acknowledgements: false}
      sip: {bind: 127.0.0.1, tcp: 5070, trusted-sources: [127.0.0.3]}
      """;

  @Test
  void byDefaultTheStoreIsASqliteFileInTheDataDirectory() {
    StoreSettings settings = StoreSettings.read(section(""), DATA);

    assertThat(settings.url()).isEqualTo("jdbc:sqlite:/var/lib/passerelle/subscriptions.db");
    assertThat(settings.user()).isEmpty();
    assertThat(settings.poolSize()).isEqualTo(StoreSettings.DEFAULT_POOL_SIZE);
    assertThat(settings.queueLimit()).isEqualTo(StoreSettings.DEFAULT_QUEUE_LIMIT);
  }

  @Test
  void aPostgresqlStoreIsReadWithItsCredentials() {
    StoreSettings settings =
        StoreSettings.read(
            section(
                """
                url: jdbc:postgresql://db.example.com/passerelle
                user: gateway
                password: s3cret
                pool-size: 8
                queue-limit: 500
                """),
            DATA);

    assertThat(settings)
        .isEqualTo(
            new StoreSettings(
                "jdbc:postgresql://db.example.com/passerelle",
                Optional.of("gateway"),
                Optional.of("s3cret"),
                8,
                500));
  }

  @Test
  void anUnsupportedDatabaseIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> StoreSettings.read(section("url: jdbc:h2:file:/tmp/x"), DATA))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "store.url must start with jdbc:sqlite: or jdbc:postgresql:, was 'jdbc:h2:file:/tmp/x'");
  }

  @Test
  void limitsOutOfBoundsAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> StoreSettings.read(section("pool-size: 0"), DATA))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("store.pool-size must be between 1 and 32, was 0");
    assertThatThrownBy(() -> StoreSettings.embedded(DATA).withQueueLimit(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("store.queue-limit must be between 1 and 1000000, was 0");
  }

  @Test
  void thePasswordNeverShowsInTheSettingsText() {
    StoreSettings settings =
        StoreSettings.of("jdbc:postgresql://db/p?user=u&password=inurl", "gateway", "s3cret");

    assertThat(settings.toString()).doesNotContain("s3cret").doesNotContain("inurl");
    assertThat(settings.redactedUrl()).isEqualTo("jdbc:postgresql://db/p?user=u&password=(set)");
  }

  @Test
  void theGatewayConfigurationHasAStoreSectionUnderItsDataDirectory() {
    GatewayConfig config = GatewayConfigLoader.parse(MINIMAL_GATEWAY + "data-dir: state\n", DATA);

    assertThat(config.store()).isEqualTo(StoreSettings.embedded(DATA.resolve("state")));
  }

  @Test
  void aMistypedStoreKeyIsRefusedAtStart() {
    assertThatThrownBy(
            () -> GatewayConfigLoader.parse(MINIMAL_GATEWAY + "store: {pool-sise: 2}\n", DATA))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("store.pool-sise: unknown key");
    assertThatThrownBy(
            () ->
                GatewayConfigLoader.parse(MINIMAL_GATEWAY + "store: {url: 'jdbc:mysql:x'}\n", DATA))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("store.url must start with jdbc:sqlite: or jdbc:postgresql:");
  }

  private static ConfigReader section(String yaml) {
    return ConfigReader.parse("store:\n" + yaml.indent(2), DATA, "test").section("store");
  }
}
