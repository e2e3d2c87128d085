package org.passerelle.testpeers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresConfigTest {

  @Test
  void defaultsServeTheDefaultDatabaseOnTheDefaultPort() {
    PostgresConfig config = PostgresConfig.builder("127.0.0.50").build();

    assertThat(config.port()).isEqualTo(5432);
    assertThat(config.database()).isEqualTo("passerelle");
    assertThat(config.user()).isEqualTo("passerelle");
    assertThat(config).hasToString("passerelle@127.0.0.50:5432");
  }

  @Test
  void namesAreLowerCaseSqlNamesSoTheyNeedNoQuoting() {
    PostgresConfig.Builder builder = PostgresConfig.builder("127.0.0.50");

    assertThatThrownBy(() -> builder.database("Store-Test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("database must be a lower-case SQL name");
    assertThatThrownBy(() -> builder.user("x".repeat(64))).hasMessageContaining("user must be");
    assertThat(builder.database("store_test_1").build().database()).isEqualTo("store_test_1");
  }

  @Test
  void aPasswordCannotCarryAQuote() {
    assertThatThrownBy(() -> PostgresConfig.builder("127.0.0.50").password("it's"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("without quotes");
  }

  @Test
  void onlyLoopbackAddressesAreServed() {
    assertThatThrownBy(() -> PostgresConfig.builder("10.0.0.1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an IPv4 loopback literal");
  }

  @Test
  void aMissingInstallationNamesTheDebianPackage(@TempDir Path empty) {
    assertThatThrownBy(() -> PostgresPrograms.find(empty, "postgres"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("PostgreSQL is not installed")
        .hasMessageContaining("apt-get install postgresql");
  }

  @Test
  void theNewestInstalledMajorVersionIsUsed(@TempDir Path root) throws Exception {
    for (String version : new String[] {"9", "15", "13"}) {
      Path bin = Files.createDirectories(root.resolve(version).resolve("bin"));
      Path postgres = Files.createFile(bin.resolve("postgres"));
      postgres.toFile().setExecutable(true);
    }

    assertThat(PostgresPrograms.find(root, "postgres").bin()).isEqualTo(root.resolve("15/bin"));
  }
}
