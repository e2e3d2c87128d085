package org.passerelle.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IoSettingsTest {
  private static IoSettings read(String yaml) {
    ConfigReader root = ConfigReader.parse(yaml, Path.of("."), "test.yml");
    IoSettings settings = IoSettings.read(root.section("io"));
    root.finish();
    return settings;
  }

  @Test
  void withoutAnIoSectionWakeUpsAreCoalescedForOneMillisecond() {
    assertThat(read("")).isEqualTo(IoSettings.DEFAULTS);
    assertThat(read("").coalesce()).isEqualTo(Duration.ofMillis(1));
  }

  @Test
  void coalesceTakesMicrosecondsAndMilliseconds() {
    assertThat(read("io: {coalesce: 250us}\n").coalesce()).isEqualTo(Duration.ofNanos(250_000));
    assertThat(read("io: {coalesce: 2ms}\n").coalesce()).isEqualTo(Duration.ofMillis(2));
  }

  @Test
  void zeroTurnsCoalescingOff() {
    assertThat(read("io: {coalesce: 0}\n").coalesce()).isZero();
    assertThat(read("io: {coalesce: 0us}\n").coalesce()).isZero();
  }

  @Test
  void moreThanTenMillisecondsIsRefusedWithTheKeyNamed() {
    assertThatThrownBy(() -> read("io: {coalesce: 11ms}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("io.coalesce must be at most 10ms, was 11000us");
  }

  @Test
  void aNumberWithoutUnitIsRefused() {
    assertThatThrownBy(() -> read("io: {coalesce: 500}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("io.coalesce must be a duration");
  }

  @Test
  void anUnknownKeyIsRefused() {
    assertThatThrownBy(() -> read("io: {coalesce-us: 500}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("coalesce-us");
  }

  @Test
  void aDurationTooLargeForItsUnitIsAConfigurationError() {
    assertThatThrownBy(() -> read("io: {coalesce: 99999999999999999999us}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("io.coalesce is too long");
    assertThatThrownBy(() -> read("io: {coalesce: 9223372036854775807us}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("io.coalesce is too long");
  }

  @Test
  void negativeOrTooLongValuesAreRefusedByTheRecordToo() {
    assertThatThrownBy(() -> new IoSettings(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new IoSettings(Duration.ofMillis(11)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
