package org.passerelle.testpeers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The security modes as each peer's configuration spells them. */
class ConfigFilesTest {

  private static final Path WORK = Path.of("/tmp/peer");

  @TempDir static Path dir;
  private static TestCa ca;
  private static Map<String, IssuedCertificate> certificates;

  @BeforeAll
  static void createCa() {
    ca = TestCa.create(dir);
    certificates = Map.of("p.test", ca.issue("p.test"), "e.test", ca.issue("e.test"));
  }

  private static XmppPeerConfig config(String domain, String address, S2sSecurity security) {
    return XmppPeerConfig.builder(domain, address)
        .security(security)
        .certificate(certificates.get(domain))
        .trustedCa(ca.certificatePath())
        .resolve("passerelle.test", "127.0.0.10")
        .build();
  }

  @Test
  void prosodyDialbackModeLoadsDialbackAndDoesNotRequireValidCertificates() {
    String lua =
        ProsodyConfigFile.render(
            config("p.test", "127.0.0.9", S2sSecurity.TLS_DIALBACK), WORK, Optional.empty());

    assertThat(lua)
        .contains("s2s_require_encryption = true")
        .contains("s2s_secure_auth = false")
        .contains("\"tls\";")
        .contains("\"dialback\";")
        .doesNotContain("cafile");
  }

  @Test
  void prosodySaslExternalModeTrustsTheCaAndHasNoDialback() {
    String lua =
        ProsodyConfigFile.render(
            config("p.test", "127.0.0.9", S2sSecurity.TLS_SASL_EXTERNAL),
            WORK,
            Optional.of(WORK.resolve("certs/ca.crt")));

    assertThat(lua)
        .contains("s2s_secure_auth = true")
        .contains("cafile = \"/tmp/peer/certs/ca.crt\";")
        .doesNotContain("dialback");
  }

  @Test
  void prosodyPlainModeHasNoTlsModuleAndDoesNotRequireEncryption() {
    String lua =
        ProsodyConfigFile.render(
            config("p.test", "127.0.0.9", S2sSecurity.PLAIN), WORK, Optional.empty());

    assertThat(lua)
        .contains("s2s_require_encryption = false")
        .contains("s2s_secure_auth = false")
        .contains("modules_enabled = { \"roster\"; \"saslauth\"; \"posix\"; \"dialback\"; }")
        .doesNotContain("\"tls\"");
  }

  @Test
  void prosodyLogsEveryStanzaUnlessTunedForLoad() {
    XmppPeerConfig.Builder builder =
        XmppPeerConfig.builder("p.test", "127.0.0.9").certificate(certificates.get("p.test"));

    String debugging = ProsodyConfigFile.render(builder.build(), WORK, Optional.empty());
    String loaded =
        ProsodyConfigFile.render(builder.tunedForLoad().build(), WORK, Optional.empty());

    assertThat(debugging)
        .contains("log = { debug = \"/tmp/peer/prosody.log\" }")
        .doesNotContain("network_backend");
    assertThat(loaded)
        .contains("log = { info = \"/tmp/peer/prosody.log\" }")
        .contains("network_backend = \"epoll\"")
        .contains("modules_disabled = { \"offline\"; \"limits\" }");
    assertThat(loaded.indexOf("network_backend")).isLessThan(loaded.indexOf("VirtualHost"));
  }

  @Test
  void ejabberdPlainModeDoesNotUseStarttlsAndLoadsDialback() {
    String yml =
        EjabberdConfigFiles.ejabberdYml(
            config("e.test", "127.0.0.8", S2sSecurity.PLAIN),
            WORK.resolve("certs/e.test.pem"),
            Optional.empty());

    assertThat(yml).contains("s2s_use_starttls: false").contains("  mod_s2s_dialback: {}");
  }

  @Test
  void prosodyListensOnlyOnItsAddressAndResolvesFromItsOwnHostsFile() {
    XmppPeerConfig config = config("p.test", "127.0.0.9", S2sSecurity.TLS_DIALBACK);

    assertThat(ProsodyConfigFile.render(config, WORK, Optional.empty()))
        .contains("interfaces = { \"127.0.0.9\" }")
        .contains("use_ipv6 = false")
        .contains(
            "unbound = { hoststxt = \"/tmp/peer/hosts\"; resolvconf = false;"
                + " forward = \"127.0.0.39\" }")
        .contains("modules_disabled = { \"offline\"; \"limits\" }")
        .contains("VirtualHost \"p.test\"");
    assertThat(ProsodyConfigFile.hosts(config.hosts())).endsWith("127.0.0.10 passerelle.test\n");
  }

  @Test
  void ejabberdDialbackModeOffersStarttlsAndLoadsDialback() {
    String yml =
        EjabberdConfigFiles.ejabberdYml(
            config("e.test", "127.0.0.8", S2sSecurity.TLS_DIALBACK),
            WORK.resolve("certs/e.test.pem"),
            Optional.empty());

    assertThat(yml)
        .contains("s2s_use_starttls: optional")
        .contains("  mod_s2s_dialback: {}")
        .doesNotContain("ca_file");
  }

  @Test
  void ejabberdSaslExternalModeRequiresStarttlsTrustsTheCaAndHasNoDialback() {
    String yml =
        EjabberdConfigFiles.ejabberdYml(
            config("e.test", "127.0.0.8", S2sSecurity.TLS_SASL_EXTERNAL),
            WORK.resolve("certs/e.test.pem"),
            Optional.of(WORK.resolve("certs/ca.crt")));

    assertThat(yml)
        .contains("s2s_use_starttls: required")
        .contains("\nca_file: \"/tmp/peer/certs/ca.crt\"\n")
        .doesNotContain("dialback");
  }

  @Test
  void ejabberdUsesItsOwnAddressBothWaysAndRetriesSoon() {
    String yml =
        EjabberdConfigFiles.ejabberdYml(
            config("e.test", "127.0.0.8", S2sSecurity.TLS_DIALBACK),
            WORK.resolve("certs/e.test.pem"),
            Optional.empty());

    assertThat(yml)
        .contains("    ip: \"127.0.0.8\"\n    module: ejabberd_c2s\n    starttls: false")
        .contains("    ip: \"127.0.0.8\"\n    module: ejabberd_s2s_in")
        .contains("outgoing_s2s_ipv4_address: \"127.0.0.8\"")
        .contains("s2s_max_retry_delay: 2")
        .contains("certfiles:\n  - \"/tmp/peer/certs/e.test.pem\"");
    assertThat(EjabberdConfigFiles.inetrc()).contains("{nameserver, {127,0,0,39}, 53}.");
  }

  @Test
  void prosodyAccountFileNamesEscapeEveryNonAlphanumeric() {
    assertThat(ProsodyPeer.storeName("p.test")).isEqualTo("p%2etest");
    assertThat(ProsodyPeer.storeName("a-b_c")).isEqualTo("a%2db%5fc");
  }
}
