package org.passerelle.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.jivesoftware.smack.packet.Presence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.testpeers.Presences;
import org.passerelle.testpeers.RosterSubscription;
import org.passerelle.testpeers.XmppTestClient;
import org.passerelle.testpeers.sip.ReceivedRequest;
import org.passerelle.testpeers.sip.SipTestClient;

/**
 * State that users rely on survives a gateway restart: with presence authorised both ways, the
 * gateway process is stopped and started again, and presence keeps flowing both ways in the same
 * SIP dialogs, with nobody asked to authorise again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PresenceRestartIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final String BOB = "bob@" + Conversation.ORG;
  private static final String ALICE_SIP = "sip:alice@" + Conversation.XMPP_DOMAIN;

  @TempDir static Path dir;

  private Conversation conversation;

  @BeforeAll
  void start() throws Exception {
    conversation = new Conversation(dir, Duration.ofSeconds(5));
  }

  @AfterAll
  void stop() {
    if (conversation != null) {
      conversation.close();
    }
  }

  @Test
  void presenceKeepsFlowingBothWaysAfterAGatewayRestartWithoutNewAuthorisation() throws Exception {
    XmppTestClient alice = conversation.alice;
    SipTestClient bob = conversation.bob;
    // Alice (XMPP) watches Bob (SIP).
    bob.publish(Pidfs.of("sip:" + BOB, "open", null, "before the restart"));
    alice.subscribe(BOB);
    alice.awaitPresence(Presences.from(BOB).type(Presence.Type.subscribed), TIMEOUT);
    alice.awaitPresence(Presences.from(BOB).status("before the restart"), TIMEOUT);
    // Bob (SIP) watches Alice (XMPP).
    alice.setPresence(Presence.Mode.available, "hello before");
    assertThat(bob.subscribe(ALICE_SIP, Duration.ofHours(1)).code()).isEqualTo(200);
    alice.awaitPresence(Presences.from(BOB).type(Presence.Type.subscribe), TIMEOUT);
    alice.approve(BOB);
    String dialog = bob.awaitNotify(n -> n.body().contains("hello before"), TIMEOUT).callId();

    conversation.gateway.close();
    conversation.startGateway();
    conversation.awaitLinked();
    assertThat(conversation.gateway.presence().restored().toCompletableFuture().get()).isEqualTo(2);

    bob.publish(Pidfs.of("sip:" + BOB, "open", "away", "after the restart"));
    alice.awaitPresence(
        Presences.from(BOB).mode(Presence.Mode.away).status("after the restart"), TIMEOUT);

    alice.setPresence(Presence.Mode.dnd, "hello after");
    ReceivedRequest notify = bob.awaitNotify(n -> n.body().contains("hello after"), TIMEOUT);
    assertThat(notify.callId()).as("the same SIP dialog as before").isEqualTo(dialog);
    assertThat(notify.body()).contains(">dnd<");

    assertThatThrownBy(
            () ->
                alice.awaitPresence(
                    Presences.from(BOB).type(Presence.Type.subscribe), Duration.ofSeconds(2)))
        .as("no new subscription request")
        .isInstanceOf(AssertionError.class);
    assertThat(alice.rosterSubscription(BOB)).isEqualTo(RosterSubscription.BOTH);
  }
}
