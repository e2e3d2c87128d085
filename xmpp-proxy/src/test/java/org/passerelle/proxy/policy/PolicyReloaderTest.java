package org.passerelle.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.proxy.config.ProxyConfigLoader;
import org.passerelle.proxy.policy.PolicyDecision.Reason;
import org.passerelle.proxy.policy.PolicyReloader.Outcome;
import org.passerelle.testpeers.IssuedCertificate;
import org.passerelle.testpeers.TestCa;

/** Reloading without a restart: a good file takes over at once, a bad one changes nothing. */
class PolicyReloaderTest {
  private static final String HEAD = "domains: [a.test]\ntls: {certificate: a.crt, key: a.key}\n";

  @TempDir Path dir;

  private Path file;
  private FederationGate gate;
  private PolicyReloader reloader;

  @BeforeEach
  void start() throws Exception {
    IssuedCertificate cert = TestCa.selfSigned(dir.resolve("certs"), "a.test");
    Files.copy(cert.certificatePem(), dir.resolve("a.crt"));
    Files.copy(cert.privateKeyPem(), dir.resolve("a.key"));
    file = dir.resolve("proxy.yml");
    Files.writeString(file, HEAD + "federation: {partners: {p.test: {}}}\n");
    gate = new FederationGate(ProxyConfigLoader.load(file).federation());
    reloader =
        new PolicyReloader(file, changed -> ProxyConfigLoader.load(changed).federation(), gate);
  }

  @Test
  void anUnchangedFileIsNotReadAgain() {
    assertThat(reloader.check()).isEqualTo(Outcome.UNCHANGED);
  }

  @Test
  void aValidNewFileTakesOverAtOnce() throws Exception {
    Files.writeString(file, HEAD + "federation: {partners: {q.test: {}}, blocked: [p.test]}\n");

    assertThat(reloader.check()).isEqualTo(Outcome.RELOADED);

    assertThat(gate.admit("q.test").allowed()).isTrue();
    assertThat(gate.admit("p.test").reason()).isEqualTo(Reason.BLOCKED);
  }

  @Test
  void reloadKeepsTheOldPolicyOnABadFile() throws Exception {
    FederationPolicy before = gate.policy();
    Files.writeString(
        file,
        HEAD + "federation: {partners: {q.test: {tls: optional, sasl-external: required}}}\n");

    assertThat(reloader.check()).isEqualTo(Outcome.REFUSED);

    assertThat(gate.policy()).isSameAs(before);
    assertThat(gate.admit("p.test").allowed()).isTrue();
    assertThat(gate.admit("q.test").allowed()).isFalse();
    assertThat(reloader.check())
        .as("the same bad content is refused once")
        .isEqualTo(Outcome.UNCHANGED);
  }

  @Test
  void aFileThatIsNotYamlKeepsTheOldPolicy() throws Exception {
    FederationPolicy before = gate.policy();
    Files.writeString(file, HEAD + "federation: {partners: [\n");

    assertThat(reloader.check()).isEqualTo(Outcome.REFUSED);
    assertThat(gate.policy()).isSameAs(before);
  }

  @Test
  void aMissingFileKeepsTheOldPolicyAndAFixedFileIsReadAgain() throws Exception {
    FederationPolicy before = gate.policy();
    Files.delete(file);

    assertThat(reloader.check()).isEqualTo(Outcome.UNREADABLE);
    assertThat(gate.policy()).isSameAs(before);

    Files.writeString(file, HEAD + "federation: {partners: {q.test: {}}}\n");
    assertThat(reloader.check()).isEqualTo(Outcome.RELOADED);
  }

  @Test
  void aChangeOutsideTheFederationSectionKeepsThePolicy() throws Exception {
    Files.writeString(file, HEAD + "timeouts: {idle: 10m}\nfederation: {partners: {p.test: {}}}\n");

    assertThat(reloader.check()).isEqualTo(Outcome.SAME_POLICY);
  }
}
