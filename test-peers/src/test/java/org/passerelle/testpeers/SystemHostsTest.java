package org.passerelle.testpeers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemHostsTest {

  @TempDir Path dir;

  @Test
  void appendsMissingNamesOnce() throws Exception {
    Path hosts = dir.resolve("hosts");
    Files.writeString(hosts, "127.0.0.1 localhost\n127.0.0.9 p.test # by hand\n");
    Map<String, InetAddress> wanted =
        Map.of(
            "p.test", InetAddress.getByName("127.0.0.9"),
            "passerelle.test", InetAddress.getByName("127.0.0.10"));

    SystemHosts.ensure(hosts, wanted);
    SystemHosts.ensure(hosts, wanted);

    assertThat(Files.readAllLines(hosts))
        .containsExactly(
            "127.0.0.1 localhost",
            "127.0.0.9 p.test # by hand",
            "127.0.0.10\tpasserelle.test\t# added by passerelle test-peers");
  }

  @Test
  void startsANewLineAfterAnUnterminatedLastLine() throws Exception {
    Path hosts = dir.resolve("hosts");
    Files.writeString(hosts, "127.0.0.1 localhost");

    SystemHosts.ensure(hosts, Map.of("e.test", InetAddress.getByName("127.0.0.8")));

    assertThat(SystemHosts.parse(Files.readString(hosts)))
        .containsEntry("localhost", "127.0.0.1")
        .containsEntry("e.test", "127.0.0.8");
  }

  @Test
  void replacesItsOwnLineForAnotherAddress() throws Exception {
    Path hosts = dir.resolve("hosts");
    Files.writeString(
        hosts,
        "127.0.0.1 localhost\n"
            + "127.0.0.20\tpasserelle.test\t# added by passerelle test-peers\n"
            + "127.0.0.9\tp.test\t# added by passerelle test-peers\n");

    SystemHosts.ensure(hosts, Map.of("passerelle.test", InetAddress.getByName("127.0.0.10")));

    assertThat(Files.readAllLines(hosts))
        .containsExactly(
            "127.0.0.1 localhost",
            "127.0.0.9\tp.test\t# added by passerelle test-peers",
            "127.0.0.10\tpasserelle.test\t# added by passerelle test-peers");
  }

  @Test
  void refusesToShadowAnotherAddress() throws Exception {
    Path hosts = dir.resolve("hosts");
    Files.writeString(hosts, "127.0.0.1 localhost e.test\n");

    assertThatThrownBy(
            () -> SystemHosts.ensure(hosts, Map.of("e.test", InetAddress.getByName("127.0.0.8"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("maps e.test to 127.0.0.1");
  }

  @Test
  void parseIgnoresCommentsAndKeepsTheFirstAddress() {
    assertThat(
            SystemHosts.parse(
                "# 127.0.0.5 commented.test\n127.0.0.8 e.test alias.test\n127.0.0.7 e.test\n"))
        .containsOnly(Map.entry("e.test", "127.0.0.8"), Map.entry("alias.test", "127.0.0.8"));
  }
}
