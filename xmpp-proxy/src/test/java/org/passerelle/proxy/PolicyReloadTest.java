package org.passerelle.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.proxy.config.ProxyConfigLoader;
import org.passerelle.proxy.policy.FederationPolicy;
import org.passerelle.proxy.policy.PolicyDecision.Reason;
import org.passerelle.testpeers.IssuedCertificate;
import org.passerelle.testpeers.TestCa;

/**
 * A running proxy follows its configuration file's federation section without a restart, and keeps
 * its policy when the file becomes invalid.
 */
class PolicyReloadTest {
  @TempDir Path dir;

  private Path file;
  private XmppProxy proxy;

  @BeforeEach
  void start() throws Exception {
    IssuedCertificate cert = TestCa.selfSigned(dir.resolve("certs"), "a.test");
    Files.copy(cert.certificatePem(), dir.resolve("a.crt"));
    Files.copy(cert.privateKeyPem(), dir.resolve("a.key"));
    file = dir.resolve("proxy.yml");
    write("partners: {p.test: {}}");
    proxy = XmppProxy.start(ProxyConfigLoader.load(file));
    proxy.watchPolicy(file);
  }

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  void aChangedFederationSectionIsInForceWithinAReloadCheck() throws Exception {
    write("partners: {p.test: {}, q.test: {}}, blocked: [p.test]");

    await(() -> proxy.federation().policy().decide("q.test").allowed());
    assertThat(proxy.federation().policy().decide("p.test").reason()).isEqualTo(Reason.BLOCKED);
  }

  @Test
  void anInvalidFileLeavesThePolicyInForce() throws Exception {
    FederationPolicy before = proxy.federation().policy();
    write("partners: {q.test: {sasl-external: off, dialback: false}}");
    Thread.sleep(500);
    write("partners: {p.test: {}, r.test: {}}");

    await(() -> proxy.federation().policy().decide("r.test").allowed());
    assertThat(before.decide("q.test").allowed()).isFalse();
    assertThat(proxy.federation().policy().decide("q.test").allowed())
        .as("the invalid version was never in force")
        .isFalse();
  }

  private void write(String federation) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String listen =
        proxy == null
            ? "127.0.0.1:" + port
            : proxy.s2sAddress().getHostString() + ":" + proxy.s2sAddress().getPort();
    Files.writeString(
        file,
        "domains: [a.test]\n"
            + "listen: "
            + listen
            + "\n"
            + "data-dir: data\n"
            + "tls: {certificate: a.crt, key: a.key}\n"
            + "federation: {reload-check: 100ms, "
            + federation
            + "}\n");
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition met in time").isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
