package org.passerelle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.testpeers.IssuedCertificate;
import org.passerelle.testpeers.TestCa;

/**
 * {@code passerelle diagnose} where federation fails before any XMPP is spoken: the verdict names
 * the step that fails (the policy, DNS, the TCP connection) and the exit code is 1. The diagnosis
 * against real servers is {@link DiagnoseProsodyIT}.
 */
class DiagnoseCommandTest {
  /** Nothing listens here (the test addresses are 127.0.0.130 to .139). */
  private static final String SILENT = "127.0.0.138";

  private static final InetSocketAddress DNS = new InetSocketAddress("127.0.0.139", 5353);

  @TempDir static Path dir;
  private static Path proxyYml;
  private static Path closedYml;

  @BeforeAll
  static void configuration() throws Exception {
    TestCa ca = TestCa.create(dir.resolve("ca"));
    IssuedCertificate cert = ca.issue("passerelle.test");
    String common =
        """
        domains: [passerelle.test]
        listen: 127.0.0.130:5269
        data-dir: data
        tls: {certificate: %s, key: %s, trust: [%s]}
        """
            .formatted(cert.certificatePem(), cert.privateKeyPem(), ca.certificatePath());
    proxyYml =
        Files.writeString(
            dir.resolve("proxy.yml"),
            common
                + """
                federation:
                  blocked: [spam.test]
                  partners:
                    down.test: {address: '%s:5269'}
                  discovered: {enabled: true}
                """
                    .formatted(SILENT));
    closedYml = Files.writeString(dir.resolve("closed.yml"), common);
  }

  @Test
  void aBlockedDomainFailsAtThePolicy() {
    Cli.Result result = Cli.run("diagnose", "spam.test", "--config", proxyYml.toString());

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.out())
        .contains("  FAIL  policy           spam.test is blocked (federation.blocked)")
        .contains("verdict: FAIL - policy: spam.test is blocked (federation.blocked)")
        .doesNotContain("target 1");
  }

  @Test
  void anUnlistedDomainFailsAtThePolicyWhenDiscoveryIsOff() {
    Cli.Result result = Cli.run("diagnose", "jabber.test", "-c", closedYml.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out())
        .contains(
            "verdict: FAIL - policy: jabber.test is not a federation partner and discovered"
                + " federation is off");
  }

  @Test
  void anUnresolvableDomainFailsAtDns() throws Exception {
    Cli.Result result;
    try (NxDomainServer dns = new NxDomainServer(DNS)) {
      result =
          Cli.run(
              "diagnose",
              "nowhere.test",
              "-c",
              proxyYml.toString(),
              "--dns",
              "127.0.0.139:5353",
              "--timeout",
              "3s");
      assertThat(dns.questions())
          .contains("_xmpps-server._tcp.nowhere.test. SRV", "_xmpp-server._tcp.nowhere.test. SRV");
    }

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.out())
        .contains("  ok    policy           nowhere.test is a discovered domain")
        .contains("_xmpp-server._tcp.nowhere.test. no records")
        .contains("verdict: FAIL - dns: cannot resolve 'nowhere.test': no address found");
  }

  @Test
  void aServerThatDoesNotListenFailsAtConnect() {
    Cli.Result result =
        Cli.run("diagnose", "down.test", "-c", proxyYml.toString(), "--no-callback");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.out())
        .contains("  ok    partner-address  " + SILENT + ":5269 from federation.partners.down.test")
        .contains("target 1: " + SILENT + ":5269")
        .contains(
            "verdict: FAIL - connect on target 1 ("
                + SILENT
                + ":5269): cannot connect to "
                + SILENT
                + ":5269: Connection refused");
  }

  @Test
  void theJsonFormCarriesTheVerdictAndEveryCheck() throws Exception {
    Cli.Result result = Cli.run("diagnose", "spam.test", "-c", proxyYml.toString(), "--json");

    JsonNode json = new ObjectMapper().readTree(result.out());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(json.path("remote").asText()).isEqualTo("spam.test");
    assertThat(json.path("verdict").path("status").asText()).isEqualTo("fail");
    assertThat(json.path("verdict").path("step").asText()).isEqualTo("policy");
    JsonNode policy = json.path("sections").get(1);
    assertThat(policy.path("title").asText()).isEqualTo("policy");
    assertThat(policy.path("checks").get(0).path("facts").path("reason").asText())
        .isEqualTo("blocked");
  }

  @Test
  void aLocalDomainThatIsNotOursIsAConfigurationError() {
    Cli.Result result =
        Cli.run("diagnose", "spam.test", "-c", proxyYml.toString(), "--from", "other.test");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("other.test is not one of the proxy's domains");
  }
}
