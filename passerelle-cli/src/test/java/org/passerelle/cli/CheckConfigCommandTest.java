package org.passerelle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.testpeers.IssuedCertificate;
import org.passerelle.testpeers.TestCa;

/**
 * {@code passerelle check-config}: a valid file gets "ok" and a summary (exit 0); each kind of
 * mistake gets a message naming the key (exit 2), as the process would refuse it at start.
 */
class CheckConfigCommandTest {
  @TempDir static Path pki;
  @TempDir Path dir;

  @BeforeAll
  static void certificates() throws Exception {
    Path certs = Files.createDirectories(pki.resolve("certs"));
    TestCa ca = TestCa.create(pki.resolve("ca"));
    IssuedCertificate proxy = ca.issue("sip.example.test");
    IssuedCertificate gateway = ca.issue("gateway.sip.example.test");
    Files.copy(proxy.certificatePem(), certs.resolve("sip.example.test.crt"));
    Files.copy(proxy.privateKeyPem(), certs.resolve("sip.example.test.key"));
    Files.copy(gateway.certificatePem(), certs.resolve("gateway.crt"));
    Files.copy(gateway.privateKeyPem(), certs.resolve("gateway.key"));
    Files.copy(ca.certificatePath(), certs.resolve("ca.crt"));
  }

  /** The certificates, next to each test's files as the examples expect them. */
  @BeforeEach
  void copyCertificates() throws Exception {
    Path certs = Files.createDirectories(dir.resolve("certs"));
    try (var files = Files.list(pki.resolve("certs"))) {
      for (Path file : files.toList()) {
        Files.copy(file, certs.resolve(file.getFileName()));
      }
    }
  }

  private Path example(String name) throws Exception {
    return Files.copy(Path.of("../examples", name), dir.resolve(name));
  }

  /** The shipped example with one line replaced. */
  private Path exampleWith(String name, String line, String replacement) throws Exception {
    String text = Files.readString(Path.of("../examples", name));
    assertThat(text).contains(line);
    return Files.writeString(dir.resolve(name), text.replace(line, replacement));
  }

  private Path file(String name, String yaml) throws Exception {
    return Files.writeString(dir.resolve(name), yaml);
  }

  @Test
  void theShippedProxyExampleIsValidAndSummarised() throws Exception {
    Cli.Result result = Cli.run("check-config", example("proxy.yml").toString());

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(0);
    assertThat(result.out())
        .startsWith("ok: " + dir.resolve("proxy.yml") + " is a valid proxy configuration.\n")
        .contains("Serves sip.example.test; accepts server-to-server streams on 127.0.0.1:5269")
        .contains("CN=sip.example.test")
        .contains("1 partner(s) [xmpp.example.test]")
        .contains("when stopped, drains for at most 10 s (shutdown.drain)");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void theShippedGatewayExampleIsValidAndSummarised() throws Exception {
    Cli.Result result = Cli.run("check-config", example("gateway.yml").toString());

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(0);
    assertThat(result.out())
        .startsWith("ok: " + dir.resolve("gateway.yml") + " is a valid gateway configuration.\n")
        .contains("links to the proxy at 127.0.0.1:23456 over TLS")
        .contains("subscription store jdbc:sqlite:")
        .contains("when stopped, drains for at most 10 s (shutdown.drain)");
  }

  @Test
  void aMistypedKeyIsNamedWithExitCode2() throws Exception {
    Path file = exampleWith("proxy.yml", "  required: true ", "  requierd: true ");

    Cli.Result result = Cli.run("check-config", file.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).startsWith(file + ": tls.requierd: unknown key; known keys:");
  }

  @Test
  void aDurationWithoutUnitIsNamed() throws Exception {
    Path file = exampleWith("proxy.yml", "  idle: 600s", "  idle: 600");

    Cli.Result result = Cli.run("check-config", file.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err())
        .contains("timeouts.idle must be a duration such as 500ms, 30s, 5m or 1h, was '600'");
  }

  @Test
  void aMissingCertificateFileIsNamed() throws Exception {
    Path file =
        exampleWith("gateway.yml", "certificate: certs/gateway.crt", "certificate: certs/nope.crt");

    Cli.Result result = Cli.run("check-config", file.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err())
        .contains("link.certificate file " + dir.resolve("certs/nope.crt") + " does not exist");
  }

  @Test
  void aKeyThatDoesNotMatchItsCertificateIsFoundWithoutStarting() throws Exception {
    // Loading the file alone cannot see this; the proxy would refuse to start.
    Path file =
        exampleWith("proxy.yml", "key: certs/sip.example.test.key", "key: certs/gateway.key");

    Cli.Result result = Cli.run("check-config", file.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err())
        .contains("tls.certificate/tls.key: private key file")
        .contains("does not match");
  }

  @Test
  void aMissingRequiredKeyIsNamed() throws Exception {
    Path file =
        file(
            "gateway.yml",
            "domains: [sip.example.test]\nlink: {tls: false}\nsip: {bind: 127.0.0.130, udp: 5070}\n");

    Cli.Result result = Cli.run("check-config", file.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).isEqualTo(file + ": link.secret is required\n");
  }

  @Test
  void secretsFromTheEnvironmentAreCheckedButNeverPrinted() throws Exception {
    String secret = "a-link-secret-from-the-environment";
    Path file =
        exampleWith(
            "proxy.yml", "secret: example-link-secret-change-me", "secret: {env: LINK_SECRET}");

    Cli.Result unset = Cli.run("check-config", file.toString());
    Cli.Result tooShort = Cli.run(Map.of("LINK_SECRET", "short"), "check-config", file.toString());
    Cli.Result set = Cli.run(Map.of("LINK_SECRET", secret), "check-config", file.toString());

    assertThat(unset.exitCode()).isEqualTo(2);
    assertThat(unset.err())
        .contains("link.secret names environment variable LINK_SECRET, which is not set");
    assertThat(tooShort.exitCode()).isEqualTo(2);
    assertThat(tooShort.err()).contains("link.secret must be at least 16 characters");
    assertThat(tooShort.err()).doesNotContain("short\n").doesNotContain("'short'");
    assertThat(set.exitCode()).as(set.toString()).isEqualTo(0);
    assertThat(set.out() + set.err()).doesNotContain(secret);
  }

  @Test
  void aFileForNeitherProcessAsksWhichItIs() throws Exception {
    Path file = file("x.yml", "domains: [sip.example.test]\n");

    Cli.Result result = Cli.run("check-config", file.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err())
        .contains("cannot tell whether this is the proxy's or the gateway's configuration")
        .contains("--proxy or --gateway");
  }

  @Test
  void theKindCanBeGiven() throws Exception {
    Path file = file("x.yml", "domains: [sip.example.test]\n");

    Cli.Result result = Cli.run("check-config", "--proxy", file.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("tls: a certificate is required");
  }

  @Test
  void aMissingFileIsAConfigurationError() {
    Cli.Result result = Cli.run("check-config", dir.resolve("absent.yml").toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("cannot read configuration file");
  }

  @Test
  void aCommandLineMistakeExitsWith2AndUsage() {
    Cli.Result noFile = Cli.run("check-config");
    Cli.Result both = Cli.run("check-config", "--proxy", "--gateway", "x.yml");
    Cli.Result noCommand = Cli.run();

    assertThat(noFile.exitCode()).isEqualTo(2);
    assertThat(noFile.err()).contains("Missing required parameter: '<config>'");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("mutually exclusive");
    assertThat(noCommand.exitCode()).isEqualTo(2);
    assertThat(noCommand.err()).contains("a command is needed");
  }
}
