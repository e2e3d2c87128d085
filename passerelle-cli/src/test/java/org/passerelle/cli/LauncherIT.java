package org.passerelle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.testpeers.IssuedCertificate;
import org.passerelle.testpeers.TestCa;

/**
 * The packaged command, run as an operator runs it: {@code java -jar passerelle-cli.jar} with
 * {@code lib/} beside it. Exit codes come from the process, and {@code proxy} really starts the
 * proxy, logging with the proxy's own configuration, and ends on SIGTERM (what the proxy does on
 * its way out is ProxyMain's business, not tested here).
 */
class LauncherIT {
  private static final Path JAR = Path.of("target/passerelle-cli.jar");

  @TempDir Path dir;

  private Process start(String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar"));
    command.add(JAR.toAbsolutePath().toString());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).directory(dir.toFile()).start();
  }

  @Test
  void aBadConfigurationExitsWith2AndNamesTheKey() throws Exception {
    Path file = Files.writeString(dir.resolve("gateway.yml"), "domains: [a.test]\nsip: {}\n");

    Process process = start("check-config", file.toString());

    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(err).contains("link.secret is required");
  }

  @Test
  void theProxyCommandRunsTheProxyUntilSigterm() throws Exception {
    TestCa ca = TestCa.create(dir.resolve("ca"));
    IssuedCertificate cert = ca.issue("passerelle.test");
    Path file =
        Files.writeString(
            dir.resolve("proxy.yml"),
            """
            domains: [passerelle.test]
            listen: 127.0.0.133:5269
            data-dir: data
            tls: {certificate: %s, key: %s}
            """
                .formatted(cert.certificatePem(), cert.privateKeyPem()));

    Process process = start("proxy", file.toString());
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                in.lines().forEach(lines::add);
              } catch (IOException e) {
                lines.add("(output ended: " + e + ")");
              }
            });
    reader.start();
    try {
      String line;
      do {
        line = lines.poll(30, TimeUnit.SECONDS);
        assertThat(line).as("the proxy's start").isNotNull();
      } while (!line.contains("accepting server-to-server streams on"));
      // The proxy's own logback.xml ("HH:mm:ss.SSS proxy   LEVEL ...") was chosen.
      assertThat(line).containsPattern("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} proxy   INFO ");
      assertThat(line).contains("127.0.0.133:5269");

      process.destroy();

      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as("128 + SIGTERM").isEqualTo(128 + 15);
    } finally {
      process.destroyForcibly();
    }
  }
}
