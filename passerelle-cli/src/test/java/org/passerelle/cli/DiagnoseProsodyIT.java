package org.passerelle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.proxy.XmppProxy;
import org.passerelle.proxy.config.ProxyConfigLoader;
import org.passerelle.testpeers.IssuedCertificate;
import org.passerelle.testpeers.ProsodyPeer;
import org.passerelle.testpeers.S2sSecurity;
import org.passerelle.testpeers.TestCa;
import org.passerelle.testpeers.XmppPeer;
import org.passerelle.testpeers.XmppPeerConfig;

/**
 * {@code passerelle diagnose} against real Prosody servers (Debian package): one set up right,
 * which passes every step, SASL EXTERNAL and dialback both; one that presents a certificate for
 * another name, whose verdict names the RFC 6125 identity check. The proxy does not run: diagnose
 * opens its streams itself and takes Prosody's dialback call back on the proxy's address.
 */
@Tag("real-peers")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiagnoseProsodyIT {
  private static final String PROXY_DOMAIN = "passerelle.test";
  private static final String PROXY_ADDRESS = "127.0.0.130";
  private static final String GOOD = "p.test";
  private static final String GOOD_ADDRESS = "127.0.0.131";
  private static final String MISNAMED = "c.test";
  private static final String MISNAMED_ADDRESS = "127.0.0.132";

  @TempDir static Path dir;
  private final List<XmppPeer> peers = new ArrayList<>();
  private Path proxyYml;

  @BeforeAll
  void start() throws Exception {
    TestCa ca = TestCa.create(dir.resolve("ca"));
    // TLS with certificates from the CA both sides trust, dialback allowed too: SASL EXTERNAL
    // authenticates, and dialback can be checked as the fallback.
    peers.add(
        new ProsodyPeer(
            XmppPeerConfig.builder(GOOD, GOOD_ADDRESS)
                .security(S2sSecurity.TLS_DIALBACK)
                .certificate(ca.issue(GOOD))
                .trustedCa(ca.certificatePath())
                .resolve(PROXY_DOMAIN, PROXY_ADDRESS)
                .build()));
    peers.add(
        new ProsodyPeer(
            XmppPeerConfig.builder(MISNAMED, MISNAMED_ADDRESS)
                .security(S2sSecurity.TLS_DIALBACK)
                .certificateForAnotherDomain(ca.issue("other.test"))
                .trustedCa(ca.certificatePath())
                .resolve(PROXY_DOMAIN, PROXY_ADDRESS)
                .build()));
    for (XmppPeer peer : peers) {
      peer.start();
    }
    IssuedCertificate ours = ca.issue(PROXY_DOMAIN);
    proxyYml =
        Files.writeString(
            dir.resolve("proxy.yml"),
            """
            domains: [%s]
            listen: %s:5269
            data-dir: data
            tls: {certificate: %s, key: %s, trust: [%s], expiry-warning: 1d}
            federation:
              partners:
                %s: {address: '%s:5269'}
                %s: {address: '%s:5269', sasl-external: required}
            """
                .formatted(
                    PROXY_DOMAIN,
                    PROXY_ADDRESS,
                    ours.certificatePem(),
                    ours.privateKeyPem(),
                    ca.certificatePath(),
                    GOOD,
                    GOOD_ADDRESS,
                    MISNAMED,
                    MISNAMED_ADDRESS));
  }

  @AfterAll
  void stop() {
    peers.forEach(XmppPeer::close);
  }

  @Test
  void aWellConfiguredServerPassesEveryStep() throws Exception {
    Cli.Result text = Cli.run("diagnose", GOOD, "-c", proxyYml.toString());
    Cli.Result json = Cli.run("diagnose", GOOD, "-c", proxyYml.toString(), "--json");

    assertThat(text.exitCode()).as(text.toString()).isEqualTo(0);
    assertThat(text.out())
        .contains("target 1: " + GOOD_ADDRESS + ":5269")
        .contains("verdict: ok - " + PROXY_DOMAIN + " federates with " + GOOD);
    JsonNode report = new ObjectMapper().readTree(json.out());
    assertThat(json.exitCode()).as(json.toString()).isEqualTo(0);
    assertThat(report.path("verdict").path("status").asText()).isEqualTo("ok");
    List<String> steps = new ArrayList<>();
    for (JsonNode section : report.path("sections")) {
      for (JsonNode check : section.path("checks")) {
        steps.add(check.path("name").asText());
        assertThat(check.path("status").asText())
            .as("%s: %s", check.path("name").asText(), check.path("text").asText())
            .isEqualTo("ok");
      }
    }
    assertThat(steps)
        .containsSubsequence(
            "policy",
            "partner-address",
            "connect",
            "stream-header",
            "starttls",
            "tls",
            "certificate",
            "identity",
            "sasl-external",
            "dialback",
            "established");
    JsonNode target = report.path("sections").get(3);
    assertThat(check(target, "dialback").path("text").asText())
        .startsWith("valid: " + GOOD + " called back and we confirmed our key");
    assertThat(check(target, "certificate").path("facts").path("names").get(0).asText())
        .isEqualTo("DNS-ID:" + GOOD);
  }

  @Test
  void aServerPresentingACertificateForAnotherNameFailsAtIdentity() {
    Cli.Result result = Cli.run("diagnose", MISNAMED, "-c", proxyYml.toString());

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.out())
        .contains("  ok    tls ")
        .contains("  FAIL  identity")
        .contains(
            "verdict: FAIL - identity on target 1 ("
                + MISNAMED_ADDRESS
                + ":5269): certificate CN=other.test names only [DNS-ID:other.test], not "
                + MISNAMED);
  }

  @Test
  void besideARunningProxyDialbackIsInconclusiveAndTheRestIsChecked() throws Exception {
    // The proxy holds the address Prosody calls back, and confirms only keys it sent itself.
    XmppProxy running = XmppProxy.start(ProxyConfigLoader.load(proxyYml));
    try {
      Cli.Result result = Cli.run("diagnose", GOOD, "-c", proxyYml.toString(), "--json");

      JsonNode report = new ObjectMapper().readTree(result.out());
      assertThat(result.exitCode()).as(result.toString()).isEqualTo(0);
      assertThat(report.path("verdict").path("status").asText()).isEqualTo("warn");
      assertThat(check(report.path("sections").get(0), "callback").path("text").asText())
          .startsWith("cannot listen on " + PROXY_ADDRESS + ":5269");
      JsonNode target = report.path("sections").get(3);
      assertThat(check(target, "sasl-external").path("status").asText()).isEqualTo("ok");
      assertThat(check(target, "dialback").path("status").asText()).isEqualTo("warn");
      assertThat(check(target, "dialback").path("text").asText())
          .startsWith("inconclusive: invalid");
      assertThat(check(target, "established").path("status").asText()).isEqualTo("ok");
    } finally {
      running.close();
    }
  }

  private static JsonNode check(JsonNode section, String name) {
    for (JsonNode check : section.path("checks")) {
      if (check.path("name").asText().equals(name)) {
        return check;
      }
    }
    throw new AssertionError("no check " + name + " in " + section);
  }
}
