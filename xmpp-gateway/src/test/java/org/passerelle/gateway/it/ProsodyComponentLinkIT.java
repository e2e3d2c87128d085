package org.passerelle.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jivesoftware.smack.packet.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.gateway.link.LinkClient;
import org.passerelle.gateway.link.LinkSettings;
import org.passerelle.stream.StreamLimits;
import org.passerelle.testpeers.ProsodyPeer;
import org.passerelle.testpeers.S2sSecurity;
import org.passerelle.testpeers.TestCa;
import org.passerelle.testpeers.XmppPeer;
import org.passerelle.testpeers.XmppPeerConfig;
import org.passerelle.testpeers.XmppTestClient;

/**
 * The deployment option without our proxy: the gateway's link attaches to Prosody as an external
 * component (XEP-0114) for the organisation's domain, and stanzas flow both ways between it and a
 * Prosody user.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProsodyComponentLinkIT {
  private static final String XMPP_DOMAIN = "xmpp.test";
  private static final String ADDRESS = "127.0.0.23";
  private static final String ORG = "sip.test";
  private static final String SECRET = "component secret for tests";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @TempDir static Path dir;

  private final NioEventLoopGroup group = new NioEventLoopGroup(1);
  private final BlockingQueue<Element> atGateway = new LinkedBlockingQueue<>();
  private XmppPeer prosody;
  private LinkClient link;
  private XmppTestClient alice;

  @BeforeAll
  void start() throws Exception {
    prosody =
        new ProsodyPeer(
            XmppPeerConfig.builder(XMPP_DOMAIN, ADDRESS)
                .security(S2sSecurity.TLS_DIALBACK)
                .certificate(TestCa.selfSigned(dir, XMPP_DOMAIN))
                .component(ORG, SECRET)
                .build());
    prosody.start();
    prosody.addUser("alice", "alice-secret");
    link =
        new LinkClient(
            new LinkSettings(
                new InetSocketAddress(ADDRESS, XmppPeerConfig.COMPONENT_PORT),
                ORG,
                SECRET,
                Optional.empty(),
                false,
                Duration.ofMillis(100),
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                1000),
            atGateway::add,
            group.next(),
            NioSocketChannel.class,
            StreamLimits.DEFAULTS);
    link.start();
    alice = XmppTestClient.login(prosody, "alice", "alice-secret");
  }

  @AfterAll
  void stop() throws Exception {
    if (alice != null) {
      alice.close();
    }
    if (link != null) {
      link.close();
    }
    if (prosody != null) {
      prosody.close();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  @Test
  void prosodyUserReachesTheGatewayDomain() throws Exception {
    String body = "to the gateway " + UUID.randomUUID();
    alice.sendChat("romeo@" + ORG, body);

    Element received = atGateway.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    assertThat(received).isNotNull();
    assertThat(received.attributeValue("to")).isEqualTo("romeo@" + ORG);
    assertThat(received.attributeValue("from")).startsWith("alice@" + XMPP_DOMAIN);
    assertThat(received.elementText("body")).isEqualTo(body);
  }

  @Test
  void gatewayReachesTheProsodyUser() throws Exception {
    String body = "from the gateway " + UUID.randomUUID();
    Element message = DocumentHelper.createElement(QName.get("message", "jabber:server"));
    message.addAttribute("from", "romeo@" + ORG + "/sip");
    message.addAttribute("to", "alice@" + XMPP_DOMAIN);
    message.addAttribute("type", "chat");
    message.addElement(QName.get("body", "jabber:server")).addText(body);

    link.send(message).toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

    Message received = alice.awaitBody(body, TIMEOUT);
    assertThat(received.getFrom().toString()).isEqualTo("romeo@" + ORG + "/sip");
  }
}
