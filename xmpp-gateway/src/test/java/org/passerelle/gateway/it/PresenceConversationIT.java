package org.passerelle.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.jivesoftware.smack.packet.Presence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.gateway.store.AuthorizationKey;
import org.passerelle.gateway.store.Direction;
import org.passerelle.testpeers.Presences;
import org.passerelle.testpeers.RosterSubscription;
import org.passerelle.testpeers.SipTransport;
import org.passerelle.testpeers.XmppTestClient;
import org.passerelle.testpeers.sip.IncomingSubscription;
import org.passerelle.testpeers.sip.ReceivedRequest;
import org.passerelle.testpeers.sip.SipTestClient;

/**
 * Presence across the gateway with real peers (RFC 8048): Smack users on Prosody, SIP user agents
 * registered at Kamailio, whose presence server takes their PUBLISHes and whose proxy hands
 * subscriptions for XMPP users to the gateway. Each test uses its own users.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PresenceConversationIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final String ORG = Conversation.ORG;
  private static final String XMPP = Conversation.XMPP_DOMAIN;

  /** A SIP user whose phone answers SUBSCRIBEs itself instead of Kamailio's presence server. */
  private static final String AGENT = "desk";

  @TempDir static Path dir;

  private Conversation conversation;
  private final java.util.List<AutoCloseable> users = new java.util.ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    conversation = new Conversation(dir, Duration.ofSeconds(5), AGENT);
  }

  @AfterEach
  void closeUsers() {
    for (AutoCloseable user : users) {
      try {
        user.close();
      } catch (Exception e) {
        // the next test uses other users
      }
    }
    users.clear();
  }

  @AfterAll
  void stop() {
    if (conversation != null) {
      conversation.close();
    }
  }

  // An XMPP user watches a SIP user (RFC 8048 §5.2)

  @Test
  void xmppUserSeesSipUsersPublishedPresenceAwayDndStatusAndOffline() {
    SipTestClient sam = sipUser("sam", false);
    assertThat(sam.publish(Pidfs.of("sip:sam@" + ORG, "open", "away", "at lunch")).code())
        .isEqualTo(200);
    XmppTestClient xena = xmppUser("xena");

    xena.subscribe("sam@" + ORG);

    xena.awaitPresence(Presences.from("sam@" + ORG).type(Presence.Type.subscribed), TIMEOUT);
    xena.awaitPresence(
        Presences.from("sam@" + ORG).mode(Presence.Mode.away).status("at lunch"), TIMEOUT);
    assertThat(xena.rosterSubscription("sam@" + ORG)).isEqualTo(RosterSubscription.TO);

    sam.publish(Pidfs.of("sip:sam@" + ORG, "open", "busy", "in a meeting"));
    xena.awaitPresence(
        Presences.from("sam@" + ORG).mode(Presence.Mode.dnd).status("in a meeting"), TIMEOUT);

    sam.publish(Pidfs.of("sip:sam@" + ORG, "closed", null, null));
    xena.awaitPresence(Presences.from("sam@" + ORG).type(Presence.Type.unavailable), TIMEOUT);
  }

  @Test
  void xmppUserUnsubscribingEndsTheSipSubscription() {
    SipTestClient sean = sipUser("sean", false);
    sean.publish(Pidfs.of("sip:sean@" + ORG, "open", null, "here"));
    XmppTestClient xia = xmppUser("xia");
    xia.subscribe("sean@" + ORG);
    xia.awaitPresence(Presences.from("sean@" + ORG).type(Presence.Type.subscribed), TIMEOUT);

    xia.unsubscribe("sean@" + ORG);

    AuthorizationKey key =
        new AuthorizationKey("sean@" + ORG, "xia@" + XMPP, Direction.XMPP_WATCHES_SIP);
    Awaits.until(
        () ->
            conversation.gateway.store().authorization(key).toCompletableFuture().join().isEmpty(),
        TIMEOUT,
        "the authorisation is deleted");
    assertThat(conversation.gateway.store().dialogsOf(key).toCompletableFuture().join()).isEmpty();
    assertThat(xia.rosterSubscription("sean@" + ORG))
        .isIn(RosterSubscription.NONE, RosterSubscription.NO_ITEM);
  }

  @Test
  void sipUserAgentAuthorisingLaterMakesTheXmppUserSubscribed() {
    SipTestClient desk = sipUser(AGENT, true);
    XmppTestClient yann = xmppUser("yann");

    yann.subscribe(AGENT + "@" + ORG);
    IncomingSubscription request = desk.awaitSubscribe(r -> true, TIMEOUT);
    assertThat(request.request().from()).isEqualTo("sip:yann@" + XMPP);
    request.answer(200);
    request.notify("pending", Optional.empty());
    request.notify(
        "active;expires=3600",
        Optional.of(Pidfs.of("sip:" + AGENT + "@" + ORG, "open", "away", "back soon")));

    yann.awaitPresence(Presences.from(AGENT + "@" + ORG).type(Presence.Type.subscribed), TIMEOUT);
    yann.awaitPresence(
        Presences.from(AGENT + "@" + ORG).mode(Presence.Mode.away).status("back soon"), TIMEOUT);
  }

  @Test
  void sipUserAgentRefusingIsUnsubscribedForTheXmppUser() {
    SipTestClient desk = sipUser(AGENT, true);
    XmppTestClient zoe = xmppUser("zoe");

    zoe.subscribe(AGENT + "@" + ORG);
    IncomingSubscription request = desk.awaitSubscribe(r -> true, TIMEOUT);
    request.answer(200);
    request.notify("pending", Optional.empty());
    request.notify("terminated;reason=rejected", Optional.empty());

    zoe.awaitPresence(Presences.from(AGENT + "@" + ORG).type(Presence.Type.unsubscribed), TIMEOUT);
    assertThat(zoe.rosterSubscription(AGENT + "@" + ORG))
        .isIn(RosterSubscription.NONE, RosterSubscription.NO_ITEM);
  }

  // A SIP user watches an XMPP user (RFC 8048 §5.3)

  @Test
  void sipUserSeesXmppUsersPresenceOnceApproved() {
    XmppTestClient xavier = xmppUser("xavier");
    xavier.setPresence(Presence.Mode.available, "hello");
    SipTestClient sue = sipUser("sue", false);

    assertThat(sue.subscribe("sip:xavier@" + XMPP, Duration.ofHours(1)).code()).isEqualTo(200);
    sue.awaitNotify(n -> n.subscriptionState().equals("pending"), TIMEOUT);
    xavier.awaitPresence(Presences.from("sue@" + ORG).type(Presence.Type.subscribe), TIMEOUT);

    xavier.approve("sue@" + ORG);

    ReceivedRequest open =
        sue.awaitNotify(
            n -> n.subscriptionState().equals("active") && n.body().contains("hello"), TIMEOUT);
    assertThat(open.body()).contains("<basic>open</basic>");
    assertThat(open.from()).isEqualTo("sip:xavier@" + XMPP);

    xavier.setPresence(Presence.Mode.away, "coffee");
    ReceivedRequest away = sue.awaitNotify(n -> n.body().contains("coffee"), TIMEOUT);
    assertThat(away.body()).contains(">away<");

    xavier.setPresence(Presence.Mode.dnd, "do not disturb");
    assertThat(sue.awaitNotify(n -> n.body().contains("do not disturb"), TIMEOUT).body())
        .contains(">dnd<");

    xavier.setUnavailable();
    sue.awaitNotify(n -> n.body().contains("<basic>closed</basic>"), TIMEOUT);
  }

  @Test
  void sipUserUnsubscribingIsToldClosedAndTheXmppUserSeesItOffline() {
    XmppTestClient xenia = xmppUser("xenia");
    xenia.setPresence(Presence.Mode.available, null);
    SipTestClient sol = sipUser("sol", false);
    sol.subscribe("sip:xenia@" + XMPP, Duration.ofHours(1));
    xenia.awaitPresence(Presences.from("sol@" + ORG).type(Presence.Type.subscribe), TIMEOUT);
    xenia.approve("sol@" + ORG);
    sol.awaitNotify(n -> n.body().contains("<basic>open</basic>"), TIMEOUT);

    sol.unsubscribe("sip:xenia@" + XMPP);

    ReceivedRequest last =
        sol.awaitNotify(n -> n.subscriptionState().equals("terminated"), TIMEOUT);
    assertThat(last.body()).contains("<basic>closed</basic>");
    xenia.awaitPresence(Presences.from("sol@" + ORG).type(Presence.Type.unavailable), TIMEOUT);
    // RFC 8048 §5.3.3: the authorisation stays.
    assertThat(xenia.rosterSubscription("sol@" + ORG)).isEqualTo(RosterSubscription.FROM);
  }

  @Test
  void xmppUserRefusingEndsTheSipSubscriptionRejected() {
    XmppTestClient xander = xmppUser("xander");
    SipTestClient sid = sipUser("sid", false);

    sid.subscribe("sip:xander@" + XMPP, Duration.ofHours(1));
    xander.awaitPresence(Presences.from("sid@" + ORG).type(Presence.Type.subscribe), TIMEOUT);
    xander.deny("sid@" + ORG);

    ReceivedRequest end = sid.awaitNotify(n -> n.subscriptionState().equals("terminated"), TIMEOUT);
    assertThat(end.header("subscription-state").orElseThrow()).contains("reason=rejected");
  }

  // Users

  private XmppTestClient xmppUser(String name) {
    conversation.prosody.addUser(name, name + "-secret");
    XmppTestClient user = XmppTestClient.login(conversation.prosody, name, name + "-secret");
    users.add(user);
    return user;
  }

  private SipTestClient sipUser(String name, boolean presenceAgent) {
    SipTestClient user =
        SipTestClient.builder(name, conversation.kamailio)
            .bind(Conversation.BOB_HOST)
            .transport(SipTransport.TCP)
            .presenceAgent(presenceAgent)
            .build();
    user.register(Duration.ofMinutes(10));
    users.add(user);
    return user;
  }
}
