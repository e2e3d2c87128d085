package org.passerelle.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminSettingsTest {
  private static Optional<AdminSettings> read(String yaml) {
    ConfigReader root = ConfigReader.parse(yaml, Path.of("."), "test.yml");
    Optional<AdminSettings> settings = AdminSettings.read(root, 9999);
    root.finish();
    return settings;
  }

  @Test
  void withoutAnAdminSectionTheEndpointIsOff() {
    assertThat(read("")).isEmpty();
  }

  @Test
  void anEmptyAdminSectionListensOnLoopbackAtTheDefaultPort() {
    AdminSettings settings = read("admin:\n").orElseThrow();

    assertThat(settings.listen()).isEqualTo(new InetSocketAddress("127.0.0.1", 9999));
    assertThat(settings.isExposed()).isFalse();
  }

  @Test
  void listenTakesHostAndOptionalPort() {
    assertThat(read("admin:\n  listen: 127.0.0.2:8000\n").orElseThrow().listen())
        .isEqualTo(new InetSocketAddress("127.0.0.2", 8000));
    assertThat(read("admin:\n  listen: 127.0.0.3\n").orElseThrow().listen())
        .isEqualTo(new InetSocketAddress("127.0.0.3", 9999));
    assertThat(read("admin:\n  listen: 0.0.0.0:8000\n").orElseThrow().isExposed()).isTrue();
  }

  @Test
  void badValuesAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> read("admin:\n  listen: 127.0.0.1:99999\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("admin.listen")
        .hasMessageContaining("65535");
    assertThatThrownBy(() -> read("admin:\n  listen: no-such-host.invalid:8000\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("admin.listen")
        .hasMessageContaining("cannot be resolved");
    assertThatThrownBy(() -> read("admin:\n  port: 8000\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("admin.port: unknown key");
    assertThatThrownBy(() -> read("admin: 8000\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("admin must be a mapping of keys");
  }
}
