package org.passerelle.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jivesoftware.smack.packet.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.model.Correlation;
import org.passerelle.testpeers.AdminClient;
import org.passerelle.testpeers.AdminClient.Metrics;
import org.passerelle.testpeers.Chromium;
import org.passerelle.testpeers.LogCapture;
import org.passerelle.testpeers.sip.SipStatus;

/**
 * What an operator sees of a conversation between Alice (Prosody) and Bob (Kamailio): the metrics
 * both processes publish, their readiness, the status pages as a browser renders them, and one
 * correlation id per message in the logs of the proxy and the gateway, never on the S2S wire.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObservabilityConversationIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final Pattern CID = Pattern.compile("cid=([0-9a-z]{12})");

  private static final String PROXY_S2S = "passerelle_proxy_s2s_stanzas_total";
  private static final String PROXY_LINK = "passerelle_proxy_link_stanzas_total";
  private static final String GATEWAY_STANZAS = "passerelle_gateway_stanzas_total";
  private static final String TRANSLATION_COUNT = "passerelle_gateway_translation_seconds_count";
  private static final String TRANSLATION_BUCKET = "passerelle_gateway_translation_seconds_bucket";
  private static final String SIP_TRANSACTIONS = "passerelle_gateway_sip_transactions_total";

  @TempDir static Path dir;

  private LogCapture log;
  private Conversation conversation;
  private AdminClient proxyAdmin;
  private AdminClient gatewayAdmin;

  @BeforeAll
  void start() throws Exception {
    log = new LogCapture();
    conversation = new Conversation(dir, Duration.ofSeconds(5));
    proxyAdmin = new AdminClient(conversation.proxy.adminAddress().orElseThrow());
    gatewayAdmin = new AdminClient(conversation.gateway.adminAddress().orElseThrow());
  }

  @AfterAll
  void stop() {
    if (conversation != null) {
      conversation.close();
    }
    if (log != null) {
      log.close();
    }
  }

  @Test
  @Order(1)
  void aMessageEachWayMovesTheCountersAndTheTranslationTimersByExactlyOne() {
    Metrics proxyBefore = proxyAdmin.metrics();
    Metrics gatewayBefore = gatewayAdmin.metrics();
    String toBob = "counted " + UUID.randomUUID();
    String toAlice = "counted back " + UUID.randomUUID();

    conversation.alice.sendChat("bob@" + Conversation.ORG, toBob);
    conversation.bob.awaitBody(toBob, TIMEOUT);
    SipStatus status =
        conversation.bob.sendMessage("sip:alice@" + Conversation.XMPP_DOMAIN, toAlice);
    assertThat(status.code()).isEqualTo(202);
    conversation.alice.awaitBody(toAlice, TIMEOUT);
    // The XMPP → SIP timer stops when Bob's 200 OK is back at the gateway, after Bob has the
    // message: wait for it, then check that nothing moved by more than one.
    String xmppToSip = "direction=\"xmpp_to_sip\",outcome=\"delivered\"";
    double timed = gatewayBefore.valueOrZero(TRANSLATION_COUNT, xmppToSip);
    Awaits.until(
        () -> gatewayAdmin.metrics().valueOrZero(TRANSLATION_COUNT, xmppToSip) > timed,
        TIMEOUT,
        "the XMPP → SIP translation timer counts the message");
    Metrics proxyAfter = proxyAdmin.metrics();
    Metrics gatewayAfter = gatewayAdmin.metrics();

    assertMovedByOne(proxyBefore, proxyAfter, PROXY_S2S, "direction=\"inbound\",kind=\"message\"");
    assertMovedByOne(proxyBefore, proxyAfter, PROXY_S2S, "direction=\"outbound\",kind=\"message\"");
    assertMovedByOne(
        proxyBefore, proxyAfter, PROXY_LINK, "direction=\"to_gateway\",kind=\"message\"");
    assertMovedByOne(
        proxyBefore, proxyAfter, PROXY_LINK, "direction=\"from_gateway\",kind=\"message\"");
    assertMovedByOne(
        gatewayBefore, gatewayAfter, GATEWAY_STANZAS, "direction=\"from_xmpp\",kind=\"message\"");
    assertMovedByOne(
        gatewayBefore, gatewayAfter, GATEWAY_STANZAS, "direction=\"to_xmpp\",kind=\"message\"");
    assertMovedByOne(gatewayBefore, gatewayAfter, TRANSLATION_COUNT, xmppToSip);
    assertMovedByOne(
        gatewayBefore,
        gatewayAfter,
        TRANSLATION_COUNT,
        "direction=\"sip_to_xmpp\",outcome=\"delivered\"");
    // Every message falls in the last bucket (le = Timer F, 32 s); none failed.
    assertMovedByOne(
        gatewayBefore,
        gatewayAfter,
        TRANSLATION_BUCKET,
        "direction=\"sip_to_xmpp\",outcome=\"delivered\",le=\"32.0\"");
    assertThat(
            gatewayAfter.valueOrZero(
                TRANSLATION_COUNT, "direction=\"xmpp_to_sip\",outcome=\"failed\""))
        .isEqualTo(
            gatewayBefore.valueOrZero(
                TRANSLATION_COUNT, "direction=\"xmpp_to_sip\",outcome=\"failed\""));
    assertMovedByOne(
        gatewayBefore,
        gatewayAfter,
        SIP_TRANSACTIONS,
        "method=\"message\",role=\"client\",status=\"2xx\"");
    assertMovedByOne(
        gatewayBefore,
        gatewayAfter,
        SIP_TRANSACTIONS,
        "method=\"message\",role=\"server\",status=\"2xx\"");
    assertThat(
            proxyAfter.value(
                "passerelle_proxy_s2s_streams",
                "direction=\"inbound\",partner=\"xmpp.test\",state=\"established\""))
        .hasValue(1);
    assertThat(proxyAfter.value("passerelle_proxy_link_gateways", "domain=\"sip.test\""))
        .hasValue(1);
    // One stanza went to the gateway; its acknowledgement may still be on its way.
    OptionalDouble inFlight =
        proxyAfter.value("passerelle_proxy_link_in_flight", "domain=\"sip.test\"");
    assertThat(inFlight).isPresent();
    assertThat(inFlight.getAsDouble()).isBetween(0.0, 1.0);
    assertThat(gatewayAfter.value("passerelle_gateway_link_up", "domain=\"sip.test\"")).hasValue(1);
    // The MESSAGE to Kamailio went over TCP, on the gateway's own connection (decision 16).
    assertThat(gatewayAfter.value("passerelle_gateway_sip_streams", "")).hasValue(1);
    // Bob's MESSAGE came from Kamailio over TCP, to the gateway's own listener (decision 17).
    assertThat(gatewayAfter.value("passerelle_gateway_sip_listener_connections", "")).hasValue(1);
    // The event loops went round for these messages (decision 20).
    for (String process : new String[] {"proxy", "gateway"}) {
      Metrics before = process.equals("proxy") ? proxyBefore : gatewayBefore;
      Metrics after = process.equals("proxy") ? proxyAfter : gatewayAfter;
      String passes = "passerelle_" + process + "_io_passes_total";
      assertThat(after.valueOrZero(passes, "")).isGreaterThan(before.valueOrZero(passes, ""));
      assertThat(after.value("passerelle_" + process + "_io_coalesced_total", "")).isPresent();
    }
  }

  private static void assertMovedByOne(Metrics before, Metrics after, String name, String labels) {
    assertThat(after.value(name, labels)).as("%s{%s} is published", name, labels).isPresent();
    assertThat(after.valueOrZero(name, labels) - before.valueOrZero(name, labels))
        .as("%s{%s} moved by", name, labels)
        .isEqualTo(1.0);
  }

  @Test
  @Order(2)
  void aMessageFromXmppIsFollowedByOneCorrelationIdInTheProxyAndTheGateway() throws Exception {
    String body = "follow me " + UUID.randomUUID();

    Message sent = conversation.alice.sendChat("bob@" + Conversation.ORG, body);
    conversation.bob.awaitBody(body, TIMEOUT);

    String id = "message id=" + sent.getStanzaId() + " ";
    String atProxy = log.awaitLine(TIMEOUT, "o.p.proxy.stanzas", id, "handed to link[");
    String cid = correlationIdOf(atProxy);
    String atGateway =
        log.awaitLine(TIMEOUT, "o.p.gateway.stanzas", "cid=" + cid, "delivered to SIP (200)");
    assertThat(atGateway).contains(id);
  }

  @Test
  @Order(3)
  void aMessageFromSipIsFollowedByOneCorrelationIdThatNeverReachesTheRemoteServer()
      throws Exception {
    String body = "follow me back " + UUID.randomUUID();

    assertThat(conversation.bob.sendMessage("sip:alice@" + Conversation.XMPP_DOMAIN, body).code())
        .isEqualTo(202);
    Message received = conversation.alice.awaitBody(body, TIMEOUT);

    String id = "message id=" + received.getStanzaId() + " ";
    String atGateway = log.awaitLine(TIMEOUT, "o.p.gateway.stanzas", id, "handed to XMPP (202)");
    String cid = correlationIdOf(atGateway);
    log.awaitLine(TIMEOUT, "o.p.proxy.stanzas", id, "cid=" + cid, "sent on s2s-out[");
    // What Prosody received, as its debug log shows each stanza's opening tag with every attribute.
    String atProsody =
        conversation.prosody.awaitLogLine("id='" + received.getStanzaId() + "'", TIMEOUT);
    assertThat(atProsody).contains("Received[s2sin]");
    assertThat(conversation.prosody.logTail(100_000))
        .doesNotContain(cid)
        .doesNotContain(Correlation.NAMESPACE);
    assertThat(received.toXML().toString()).doesNotContain(cid);
  }

  private static String correlationIdOf(String line) {
    Matcher matcher = CID.matcher(line);
    assertThat(matcher.find()).as("a correlation id in: %s", line).isTrue();
    return matcher.group(1);
  }

  @Test
  @Order(4)
  void theStatusPagesRenderedByABrowserShowThePartnerAndTheLink() {
    Optional<Chromium> chromium = Chromium.find();
    assumeThat(chromium)
        .as("chromium is not installed; ./dev test installs it (apt-get install chromium)")
        .isPresent();

    String proxyPage = chromium.get().dumpDom(proxyAdmin.uri("/status"), dir);
    String partners = table(proxyPage, "partners");
    assertThat(partners)
        .contains("<td>" + Conversation.XMPP_DOMAIN + "</td>")
        .contains("<td class=\"good\">connected</td>");
    assertThat(table(proxyPage, "link-state"))
        .contains("<td>" + Conversation.ORG + "</td>")
        .contains("<td class=\"good\">attached</td>");
    assertThat(table(proxyPage, "stream-list"))
        .contains("<td>" + Conversation.XMPP_DOMAIN + "</td>");

    String gatewayPage = chromium.get().dumpDom(gatewayAdmin.uri("/status"), dir);
    assertThat(table(gatewayPage, "link-state"))
        .contains("<td>" + Conversation.ORG + "</td>")
        .contains("<td class=\"good\">attached</td>");
    assertThat(table(gatewayPage, "sip-facts")).contains("<td class=\"good\">running</td>");
    assertThat(gatewayPage).contains("<td class=\"good\">yes</td>");
  }

  /** The table with this id in a rendered page. */
  private static String table(String dom, String id) {
    int start = dom.indexOf("<table id=\"" + id + "\">");
    assertThat(start).as("table %s in the page:%n%s", id, dom).isNotNegative();
    return dom.substring(start, dom.indexOf("</table>", start));
  }

  @Test
  @Order(5)
  void theGatewayIsNotReadyWhileItsLinkIsDownAndReadyAgainWhenItReturns() throws Exception {
    assertThat(gatewayAdmin.get("/health/ready").status()).isEqualTo(200);
    assertThat(proxyAdmin.get("/health/ready").status()).isEqualTo(200);

    conversation.proxy.close();
    Awaits.until(
        () -> gatewayAdmin.get("/health/ready").status() == 503,
        TIMEOUT,
        "the gateway reports the link down");
    AdminClient.Answer down = gatewayAdmin.get("/health/ready");
    assertThat(down.body())
        .startsWith("not ready:\n")
        .contains("the link for " + Conversation.ORG + " is down")
        .contains(Conversation.PROXY);
    assertThat(gatewayAdmin.get("/health/live").status()).isEqualTo(200);

    conversation.startProxy();
    conversation.awaitLinked();
    assertThat(gatewayAdmin.get("/health/ready")).isEqualTo(new AdminClient.Answer(200, "ready\n"));
    proxyAdmin = new AdminClient(conversation.proxy.adminAddress().orElseThrow());
    assertThat(proxyAdmin.get("/health/ready").status()).isEqualTo(200);
  }
}
