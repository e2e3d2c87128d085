package org.passerelle.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.testpeers.sip.ReceivedRequest;
import org.passerelle.testpeers.sip.SipStatus;

/**
 * A Smack user on Prosody and a SIP user agent registered at Kamailio chat through the proxy and
 * the gateway, both ways (RFC 7572), including what goes wrong.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KamailioProsodyConversationIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  @TempDir static Path dir;

  private Conversation conversation;

  @BeforeAll
  void start() throws Exception {
    conversation = new Conversation(dir, Duration.ofSeconds(5));
  }

  @AfterAll
  void stop() throws Exception {
    if (conversation != null) {
      conversation.close();
    }
  }

  @Test
  void xmppUserWritesToSipUserInUnicode() {
    String body = "Grüße, ça va ? 👋 日本語 " + UUID.randomUUID();

    conversation.alice.sendChat("bob@" + Conversation.ORG, body);

    ReceivedRequest message = conversation.bob.awaitBody(body, TIMEOUT);
    assertThat(message.method()).isEqualTo("MESSAGE");
    assertThat(message.from()).contains("sip:alice@" + Conversation.XMPP_DOMAIN);
    assertThat(message.contentType()).startsWith("text/plain");
  }

  @Test
  void sipUserWritesToXmppUserAndGets202() {
    String body = "Salut Alice, ✓ " + UUID.randomUUID();

    SipStatus status = conversation.bob.sendMessage("sip:alice@" + Conversation.XMPP_DOMAIN, body);

    assertThat(status.code()).isEqualTo(202);
    Message received = conversation.alice.awaitBody(body, TIMEOUT);
    assertThat(received.getFrom().asBareJid().toString()).isEqualTo("bob@" + Conversation.ORG);
  }

  @Test
  void tenKilobyteMessagesCrossBothWays() {
    String toBob = "x".repeat(10_000) + UUID.randomUUID();
    String toAlice = "y".repeat(10_000) + UUID.randomUUID();

    conversation.alice.sendChat("bob@" + Conversation.ORG, toBob);
    assertThat(conversation.bob.awaitBody(toBob, TIMEOUT).body()).hasSize(toBob.length());

    assertThat(
            conversation.bob.sendMessage("sip:alice@" + Conversation.XMPP_DOMAIN, toAlice).code())
        .isEqualTo(202);
    assertThat(conversation.alice.awaitBody(toAlice, TIMEOUT).getBody()).hasSize(toAlice.length());
  }

  @Test
  void unknownSipUserIsItemNotFoundForTheXmppSender() {
    // Kamailio answers 404 for a user who is not registered; RFC 7247 §7.2: 404 → item-not-found.
    Message sent = conversation.alice.sendChat("nobody@" + Conversation.ORG, "hello?");

    Message error =
        conversation.alice.awaitMessage(
            m -> m.getType() == Message.Type.error && sent.getStanzaId().equals(m.getStanzaId()),
            TIMEOUT);

    assertThat(error.getFrom().toString()).isEqualTo("nobody@" + Conversation.ORG);
    assertThat(error.getError().getCondition()).isEqualTo(StanzaError.Condition.item_not_found);
  }

  @Test
  void unknownXmppUserIsToldToTheSipSender() {
    // Prosody bounces a message for an unknown account; the SIP transaction is already answered,
    // so the gateway tells Bob in a message from that address (decision 5).
    SipStatus status =
        conversation.bob.sendMessage("sip:ghost@" + Conversation.XMPP_DOMAIN, "are you there?");

    assertThat(status.code()).isEqualTo(202);
    ReceivedRequest notice =
        conversation.bob.awaitMessage(m -> m.from().contains("ghost@"), TIMEOUT);
    assertThat(notice.body())
        .contains("ghost@" + Conversation.XMPP_DOMAIN)
        .contains("not delivered");
  }
}
