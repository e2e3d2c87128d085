package org.passerelle.testpeers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.jivesoftware.smack.packet.Presence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Presence subscriptions between two users of one Prosody (RFC 6121 §3, §4) through {@link
 * XmppTestClient}: what the XMPP side of presence interworking (RFC 8048) will be tested against.
 * Each test has users of its own, so that rosters left by one do not meet another.
 */
class XmppPresenceIT {

  private static final String DOMAIN = "p.test";
  private static final String PROSODY_ADDRESS = "127.0.0.70";
  private static final String PASSWORD = "secret";
  private static final Duration WAIT = Duration.ofSeconds(5);

  @TempDir static Path pki;

  private static ProsodyPeer prosody;

  @BeforeAll
  static void startProsody() {
    prosody =
        new ProsodyPeer(
            XmppPeerConfig.builder(DOMAIN, PROSODY_ADDRESS)
                .certificate(TestCa.selfSigned(pki, DOMAIN))
                .build());
    prosody.start();
  }

  @AfterAll
  static void stopProsody() {
    if (prosody != null) {
      prosody.close();
    }
  }

  /** RFC 6121 §3.1 (request and approval), §4.4 (broadcast), §3.3 (unsubscribe). */
  @Test
  void approvedSubscriberSeesEveryPresenceChangeOfTheContactUntilItUnsubscribes() {
    try (XmppTestClient alice = login("alice");
        XmppTestClient bob = login("bob")) {
      alice.subscribe(jid("bob"));

      bob.awaitPresence(Presences.from(jid("alice")).type(Presence.Type.subscribe), WAIT);
      // Prosody acknowledges a request the contact has not approved yet with the contact's
      // unavailable presence, whether the contact is online or not.
      alice.awaitPresence(Presences.from(jid("bob")).type(Presence.Type.unavailable), WAIT);
      assertThat(alice.rosterSubscription(jid("bob")))
          .isEqualTo(RosterSubscription.NONE_PENDING_OUT);
      // A pending inbound request is not in the contact's roster (RFC 6121 §3.1.3).
      assertThat(bob.rosterSubscription(jid("alice"))).isEqualTo(RosterSubscription.NO_ITEM);

      bob.approve(jid("alice"));

      alice.awaitPresence(Presences.from(jid("bob")).type(Presence.Type.subscribed), WAIT);
      // RFC 6121 §3.1.5: the contact's current presence follows the approval.
      alice.awaitPresence(Presences.from(jid("bob")).mode(Presence.Mode.available), WAIT);
      assertThat(alice.rosterSubscription(jid("bob"))).isEqualTo(RosterSubscription.TO);
      assertThat(bob.rosterSubscription(jid("alice"))).isEqualTo(RosterSubscription.FROM);

      bob.setPresence(Presence.Mode.away, "at lunch");
      Presence away =
          alice.awaitPresence(
              Presences.from(jid("bob")).mode(Presence.Mode.away).status("at lunch"), WAIT);
      assertThat(away.getFrom().toString()).isEqualTo(jid("bob") + "/test");
      bob.setPresence(Presence.Mode.dnd, "in a meeting — ✓");
      alice.awaitPresence(
          Presences.from(jid("bob")).mode(Presence.Mode.dnd).status("in a meeting — ✓"), WAIT);
      bob.setPresence(Presence.Mode.available, "back");
      Presence back =
          alice.awaitPresence(
              Presences.from(jid("bob")).mode(Presence.Mode.available).status("back"), WAIT);
      assertThat(back.toXML().toString()).doesNotContain("<show");

      // RFC 6121 §4.5: unavailable, still connected, then available again.
      bob.setUnavailable();
      alice.awaitPresence(Presences.from(jid("bob")).type(Presence.Type.unavailable), WAIT);
      bob.setPresence(Presence.Mode.chat, "again");
      alice.awaitPresence(Presences.from(jid("bob")).mode(Presence.Mode.chat), WAIT);

      alice.unsubscribe(jid("bob"));

      bob.awaitPresence(Presences.from(jid("alice")).type(Presence.Type.unsubscribe), WAIT);
      assertThat(alice.rosterSubscription(jid("bob"))).isEqualTo(RosterSubscription.NONE);
      assertThat(bob.rosterSubscription(jid("alice"))).isEqualTo(RosterSubscription.NONE);
    }
  }

  /** RFC 6121 §3.1.4 and §3.2.3: a denied request comes back as {@code unsubscribed}. */
  @Test
  void deniedRequestComesBackAsUnsubscribedAndNoPresenceFollows() {
    try (XmppTestClient carol = login("carol");
        XmppTestClient dave = login("dave")) {
      carol.subscribe(jid("dave"));
      dave.awaitPresence(Presences.from(jid("carol")).type(Presence.Type.subscribe), WAIT);

      dave.deny(jid("carol"));

      carol.awaitPresence(Presences.from(jid("dave")).type(Presence.Type.unsubscribed), WAIT);
      assertThat(carol.rosterSubscription(jid("dave"))).isEqualTo(RosterSubscription.NONE);
      assertThat(dave.rosterSubscription(jid("carol"))).isEqualTo(RosterSubscription.NO_ITEM);

      dave.setPresence(Presence.Mode.away, "not for carol");
      // Whatever Prosody sent carol before this message has arrived when it does.
      dave.sendChat(jid("carol"), "after the broadcast");
      carol.awaitBody("after the broadcast", WAIT);
      assertThatThrownBy(
              () ->
                  carol.awaitPresence(
                      Presences.from(jid("dave")).mode(Presence.Mode.away), Duration.ZERO))
          .isInstanceOf(AssertionError.class);
    }
  }

  /** RFC 6121 §3.1 both ways: each approves the other, and each sees the other. */
  @Test
  void subscriptionsApprovedBothWaysAreBoth() {
    try (XmppTestClient erin = login("erin");
        XmppTestClient frank = login("frank")) {
      erin.subscribe(jid("frank"));
      frank.awaitPresence(Presences.from(jid("erin")).type(Presence.Type.subscribe), WAIT);
      frank.approve(jid("erin"));
      erin.awaitPresence(Presences.from(jid("frank")).type(Presence.Type.subscribed), WAIT);

      frank.subscribe(jid("erin"));

      assertThat(frank.rosterSubscription(jid("erin")))
          .isEqualTo(RosterSubscription.FROM_PENDING_OUT);
      erin.awaitPresence(Presences.from(jid("frank")).type(Presence.Type.subscribe), WAIT);
      erin.approve(jid("frank"));
      frank.awaitPresence(Presences.from(jid("erin")).type(Presence.Type.subscribed), WAIT);
      assertThat(erin.rosterSubscription(jid("frank"))).isEqualTo(RosterSubscription.BOTH);
      assertThat(frank.rosterSubscription(jid("erin"))).isEqualTo(RosterSubscription.BOTH);

      erin.setPresence(Presence.Mode.xa, "far away");
      frank.awaitPresence(Presences.from(jid("erin")).mode(Presence.Mode.xa), WAIT);
      frank.setPresence(Presence.Mode.away, "nearby");
      erin.awaitPresence(Presences.from(jid("frank")).mode(Presence.Mode.away), WAIT);
    }
  }

  private static XmppTestClient login(String user) {
    prosody.addUser(user, PASSWORD);
    return XmppTestClient.login(prosody, user, PASSWORD);
  }

  private static String jid(String user) {
    return user + "@" + DOMAIN;
  }
}
