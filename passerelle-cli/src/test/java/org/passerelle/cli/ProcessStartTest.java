package org.passerelle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.model.config.Environment;

/**
 * The start read without picocli: exactly {@code proxy <config>} or {@code gateway <config>}, and a
 * bad file refused as the picocli command refuses it.
 */
class ProcessStartTest {
  @TempDir Path dir;

  @Test
  void readsTheTwoWordsThatStartAProcess() {
    ProcessStart proxy =
        ProcessStart.of(new String[] {"proxy", "examples/proxy.yml"}).orElseThrow();
    ProcessStart gateway = ProcessStart.of(new String[] {"gateway", "gateway.yml"}).orElseThrow();

    assertThat(proxy.kind()).isEqualTo(ConfigKind.PROXY);
    assertThat(proxy.config()).isEqualTo(Path.of("examples/proxy.yml"));
    assertThat(gateway.kind()).isEqualTo(ConfigKind.GATEWAY);
    assertThat(gateway.config()).isEqualTo(Path.of("gateway.yml"));
  }

  @Test
  void leavesEveryOtherCommandLineToPicocli() {
    String[][] others = {
      {},
      {"proxy"},
      {"proxy", "--help"},
      {"gateway", "-V"},
      {"proxy", "@arguments.txt"},
      {"proxy", ""},
      {"proxy", "a.yml", "b.yml"},
      {"proxy", "--", "proxy.yml"},
      {"check-config", "proxy.yml"},
      {"diagnose", "example.org"},
      {"--version", "proxy"},
      {"Proxy", "proxy.yml"},
      {"proxy", "nul\0in-the-path.yml"},
    };
    for (String[] args : others) {
      assertThat(ProcessStart.of(args)).as(String.join(" ", args)).isEmpty();
    }
  }

  @Test
  void aBadFileIsRefusedAsThePicocliCommandRefusesIt() throws Exception {
    Path file = Files.writeString(dir.resolve("gateway.yml"), "domains: [a.test]\nsip: {}\n");
    String[] args = {"gateway", file.toString()};

    StringWriter direct = new StringWriter();
    int code = ProcessStart.of(args).orElseThrow().run(root(), new PrintWriter(direct, true));
    Cli.Result picocli = Cli.run(args);

    assertThat(code).isEqualTo(Passerelle.BAD_CONFIGURATION).isEqualTo(picocli.exitCode());
    assertThat(direct.toString())
        .startsWith("configuration error: ")
        .contains("link.secret is required")
        .isEqualTo(picocli.err());
  }

  @Test
  void aMissingFileIsRefusedWithItsName() {
    Path missing = dir.resolve("absent.yml");
    StringWriter err = new StringWriter();

    int code =
        ProcessStart.of(new String[] {"proxy", missing.toString()})
            .orElseThrow()
            .run(root(), new PrintWriter(err, true));

    assertThat(code).isEqualTo(Passerelle.BAD_CONFIGURATION);
    assertThat(err.toString()).startsWith("configuration error: ").contains(missing.toString());
  }

  private static Passerelle root() {
    return new Passerelle(Environment.of(Map.of()), Clock.systemUTC());
  }
}
