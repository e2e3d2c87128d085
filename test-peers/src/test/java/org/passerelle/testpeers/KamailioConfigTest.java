package org.passerelle.testpeers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Kamailio configuration as the script renders it, and the bounds of its settings. */
class KamailioConfigTest {

  private static final KamailioConfig WITH_GATEWAY =
      KamailioConfig.builder("sip.test", "127.0.0.30")
          .gateway(SipHop.of("127.0.0.31", 5070, SipTransport.TCP))
          .transactionTimeout(Duration.ofSeconds(3))
          .workers(3)
          .build();

  @Test
  void listensOnItsAddressOnlyOverUdpAndTcpAndServesItsDomain() {
    assertThat(KamailioConfigFile.render(WITH_GATEWAY))
        .contains("listen=udp:127.0.0.30:5060\n")
        .contains("listen=tcp:127.0.0.30:5060\n")
        .contains("auto_aliases=no\n")
        .contains("alias=\"sip.test\"\n")
        .contains("children=3\ntcp_children=3\n");
  }

  @Test
  void neverUsesDns() {
    assertThat(KamailioConfigFile.render(WITH_GATEWAY))
        .contains("dns=no\n")
        .contains("rev_dns=no\n")
        .contains("use_dns_cache=off\n")
        .contains("dns_try_naptr=no\n");
  }

  /** RFC 3261 §18.1.1, and messages up to Kamailio's own 64 kB limit over TCP. */
  @Test
  void switchesLargeRequestsToTcpAndReadsLargeTcpMessages() {
    assertThat(KamailioConfigFile.render(WITH_GATEWAY))
        .contains("udp_mtu=1300\nudp_mtu_try_proto=TCP\n")
        .contains("tcp_rd_buf_size=65536\n")
        .contains("tcp_source_ipv4=127.0.0.30\n");
  }

  @Test
  void keepsPresenceInMemoryAndAuthorisesEverySubscription() {
    assertThat(KamailioConfigFile.render(WITH_GATEWAY))
        .contains("modparam(\"presence\", \"subs_db_mode\", 0)")
        .contains("modparam(\"presence\", \"publ_cache\", 2)")
        .contains("modparam(\"presence_xml\", \"force_active\", 1)")
        .contains("modparam(\"usrloc\", \"db_mode\", 0)")
        .doesNotContain("\"db_url\"");
  }

  /** RFC 7247 §5: other domains go to the gateway with their Request-URI intact. */
  @Test
  void sendsOtherDomainsToTheGatewayAsTheNextHopOnly() {
    assertThat(KamailioConfigFile.render(WITH_GATEWAY))
        .contains("$du = \"sip:127.0.0.31:5070;transport=tcp\";")
        .contains("if ($si == \"127.0.0.31\") {")
        .contains("modparam(\"tm\", \"fr_timer\", 3000)")
        .doesNotContain("rewritehost")
        .doesNotContain("$ru =");
  }

  @Test
  void withoutAGatewayRefusesOtherDomains() {
    KamailioConfig alone = KamailioConfig.builder("sip.test", "127.0.0.30").build();

    assertThat(KamailioConfigFile.render(alone))
        .contains("sl_send_reply(\"404\", \"No Route To Domain\");")
        .doesNotContain("$du");
  }

  /** RFC 8048 §4: a user agent that is its own presence agent gets its SUBSCRIBEs. */
  @Test
  void sendsSubscribesForUserAgentPresenceUsersToTheirContactRecordRouted() {
    KamailioConfig config =
        KamailioConfig.builder("sip.test", "127.0.0.30")
            .userAgentPresence("dave", "alice", "dave")
            .build();

    String script = KamailioConfigFile.render(config);

    assertThat(config.userAgentPresence()).containsExactly("alice", "dave");
    assertThat(script)
        .contains(
            """
              if (is_method("SUBSCRIBE") && ($rU == "alice" || $rU == "dave")) {
                record_route();
                route(LOCATION);
              }
            """);
    // Before the presence server takes every SUBSCRIBE for our domain.
    assertThat(script.indexOf("$rU == \"alice\""))
        .isLessThan(script.indexOf("if (is_method(\"PUBLISH|SUBSCRIBE\")) {"));
    // In-dialog NOTIFYs and refreshes follow the route set, before the presence server's check.
    assertThat(script)
        .containsSubsequence(
            "route[WITHINDLG] {", "if (loose_route()) {", "t_relay();", "route(PRESENCE);");
  }

  @Test
  void withoutUserAgentPresenceEverySubscribeForOurDomainGoesToThePresenceServer() {
    String script = KamailioConfigFile.render(WITH_GATEWAY);

    assertThat(WITH_GATEWAY.userAgentPresence()).isEmpty();
    assertThat(script).doesNotContain("$rU == \"").doesNotContain("RFC 8048 §4");
    assertThat(script)
        .contains("  }\n  if (is_method(\"PUBLISH|SUBSCRIBE\")) {\n    route(PRESENCE);");
  }

  @Test
  void refusesUserAgentPresenceUsersThatCannotBeWrittenAsTheyAre() {
    KamailioConfig.Builder builder = KamailioConfig.builder("sip.test", "127.0.0.30");

    assertThatThrownBy(() -> builder.userAgentPresence("alice\" || 1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("alice\" || 1");
    assertThatThrownBy(() -> builder.userAgentPresence("Alice"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.userAgentPresence((String) null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void refusesAGatewayAtItsOwnAddressAndPort() {
    KamailioConfig.Builder builder =
        KamailioConfig.builder("sip.test", "127.0.0.30")
            .gateway(SipHop.of("127.0.0.30", 5060, SipTransport.UDP));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("own address");
  }

  @Test
  void refusesSettingsOutOfBounds() {
    KamailioConfig.Builder builder = KamailioConfig.builder("sip.test", "127.0.0.30");

    assertThatThrownBy(() -> builder.sharedMemoryMb(16))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sharedMemoryMb");
    assertThatThrownBy(() -> builder.workers(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.transactionTimeout(Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.port(70_000)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KamailioConfig.builder("sip.test", "10.0.0.1"))
        .hasMessageContaining("loopback");
    assertThatThrownBy(() -> SipHop.of("gateway.test", 5070, SipTransport.TCP))
        .hasMessageContaining("loopback");
  }

  @Test
  void missingKamailioModuleNamesTheDebianPackageToInstall() {
    assertThatThrownBy(
            () ->
                KamailioModules.require(
                    "passerelle_no_such_module",
                    "no-such-package",
                    Executables.require("kamailio", "kamailio")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("apt-get install no-such-package");
  }
}
