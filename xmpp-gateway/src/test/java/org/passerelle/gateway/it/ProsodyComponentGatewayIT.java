package org.passerelle.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jivesoftware.smack.packet.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.gateway.XmppGateway;
import org.passerelle.gateway.config.GatewayConfig;
import org.passerelle.gateway.sip.SipServerAddress;
import org.passerelle.gateway.sip.SipSettings;
import org.passerelle.testpeers.KamailioConfig;
import org.passerelle.testpeers.KamailioPeer;
import org.passerelle.testpeers.ProsodyPeer;
import org.passerelle.testpeers.S2sSecurity;
import org.passerelle.testpeers.SipHop;
import org.passerelle.testpeers.SipTransport;
import org.passerelle.testpeers.TestCa;
import org.passerelle.testpeers.XmppPeer;
import org.passerelle.testpeers.XmppPeerConfig;
import org.passerelle.testpeers.XmppTestClient;
import org.passerelle.testpeers.sip.ReceivedRequest;
import org.passerelle.testpeers.sip.SipTestClient;

/**
 * The deployment option without our proxy: the gateway attaches to Prosody as an external component
 * (XEP-0114) for the organisation's domain, and a Prosody user and a SIP user on Kamailio chat
 * through it both ways.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProsodyComponentGatewayIT {
  private static final String XMPP_DOMAIN = "xmpp.test";
  private static final String ORG = "sip.test";
  private static final String PROSODY = "127.0.0.45";
  private static final String GATEWAY = "127.0.0.46";
  private static final String KAMAILIO = "127.0.0.47";
  private static final String BOB_HOST = "127.0.0.48";
  private static final int GATEWAY_SIP_PORT = 5070;
  private static final String SECRET = "component secret for tests";
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  @TempDir static Path dir;

  private XmppPeer prosody;
  private KamailioPeer kamailio;
  private XmppGateway gateway;
  private XmppTestClient alice;
  private SipTestClient bob;

  @BeforeAll
  void start() throws Exception {
    prosody =
        new ProsodyPeer(
            XmppPeerConfig.builder(XMPP_DOMAIN, PROSODY)
                .security(S2sSecurity.TLS_DIALBACK)
                .certificate(TestCa.selfSigned(dir, XMPP_DOMAIN))
                .component(ORG, SECRET)
                .build());
    kamailio =
        new KamailioPeer(
            KamailioConfig.builder(ORG, KAMAILIO)
                .gateway(SipHop.of(GATEWAY, GATEWAY_SIP_PORT, SipTransport.TCP))
                .build());
    prosody.start();
    kamailio.start();
    prosody.addUser("alice", "alice-secret");
    gateway =
        XmppGateway.start(
            new GatewayConfig(
                Set.of(ORG),
                new GatewayConfig.Link(
                    new InetSocketAddress(PROSODY, XmppPeerConfig.COMPONENT_PORT),
                    SECRET,
                    false,
                    null,
                    null,
                    List.of(),
                    false,
                    Duration.ofSeconds(5),
                    1000),
                SipSettings.builder(InetAddress.getByName(GATEWAY))
                    .udp(GATEWAY_SIP_PORT)
                    .tcp(GATEWAY_SIP_PORT)
                    .outboundProxy(SipServerAddress.parse(KAMAILIO + ":5060;transport=tcp"))
                    .domains(SipSettings.ANY_DOMAIN)
                    .build(),
                new GatewayConfig.Im(16 * 1024, 1000),
                dir.resolve("gateway-data")));
    alice = XmppTestClient.login(prosody, "alice", "alice-secret");
    bob = SipTestClient.builder("bob", kamailio).bind(BOB_HOST).transport(SipTransport.TCP).build();
    bob.register(Duration.ofMinutes(10));
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!gateway.isLinked() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(gateway.isLinked()).as("attached to Prosody").isTrue();
  }

  @AfterAll
  void stop() {
    for (AutoCloseable part : new AutoCloseable[] {alice, bob, gateway, kamailio, prosody}) {
      if (part != null) {
        try {
          part.close();
        } catch (Exception e) {
          // Keep closing the rest.
        }
      }
    }
  }

  @Test
  void prosodyUserWritesToSipUser() {
    String body = "via Prosody's component port " + UUID.randomUUID();

    alice.sendChat("bob@" + ORG, body);

    ReceivedRequest message = bob.awaitBody(body, TIMEOUT);
    assertThat(message.from()).contains("sip:alice@" + XMPP_DOMAIN);
  }

  @Test
  void sipUserWritesToProsodyUser() {
    String body = "back through the component " + UUID.randomUUID();

    assertThat(bob.sendMessage("sip:alice@" + XMPP_DOMAIN, body).code()).isEqualTo(202);

    Message received = alice.awaitBody(body, TIMEOUT);
    assertThat(received.getFrom().asBareJid().toString()).isEqualTo("bob@" + ORG);
  }
}
