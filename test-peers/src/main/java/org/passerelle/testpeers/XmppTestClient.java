package org.passerelle.testpeers;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.packet.RosterPacket;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * A Smack client logged in to a test peer over plain c2s, which sends messages and presence and
 * collects every message and presence it receives (errors too) for tests to await. It answers no
 * subscription request by itself: the test approves or denies each (RFC 6121 §3).
 *
 * <pre>{@code
 * try (XmppTestClient alice = XmppTestClient.login(prosody, "alice", "secret");
 *     XmppTestClient bob = XmppTestClient.login(prosody, "bob", "secret")) {
 *   alice.sendChat("bob@p.test", "hello");
 *   Message hello = bob.awaitMessage(m -> "hello".equals(m.getBody()), Duration.ofSeconds(5));
 *
 *   alice.subscribe("bob@p.test");
 *   bob.awaitPresence(Presences.from("alice@p.test").type(Presence.Type.subscribe), WAIT);
 *   bob.approve("alice@p.test");
 *   bob.setPresence(Presence.Mode.away, "at lunch");
 *   alice.awaitPresence(Presences.from("bob@p.test").mode(Presence.Mode.away), WAIT);
 *   assertThat(alice.rosterSubscription("bob@p.test")).isEqualTo(RosterSubscription.TO);
 * }
 * }</pre>
 */
public final class XmppTestClient implements AutoCloseable {

  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

  /** Smack's default (5 s) is short for a loaded CI machine starting several daemons. */
  private static final long REPLY_TIMEOUT_MILLIS = 15_000;

  private final XMPPTCPConnection connection;
  private final Inbox<Message> messages;
  private final Inbox<Presence> presences;

  private XmppTestClient(XMPPTCPConnection connection, String owner) {
    this.connection = connection;
    this.messages = new Inbox<>(owner, "message", XmppTestClient::xml);
    this.presences = new Inbox<>(owner, "presence", XmppTestClient::xml);
  }

  /**
   * Connects to {@code peer}'s c2s port, logs in as {@code user@peer.domain()} with resource {@code
   * test}, sends initial presence, so that messages to the bare JID are delivered, and requests the
   * roster.
   */
  public static XmppTestClient login(XmppPeer peer, String user, String password) {
    XMPPTCPConnection connection;
    try {
      connection =
          new XMPPTCPConnection(
              XMPPTCPConnectionConfiguration.builder()
                  .setXmppDomain(peer.domain())
                  .setHostAddress(peer.address())
                  .setPort(XmppPeer.C2S_PORT)
                  .setSecurityMode(SecurityMode.disabled)
                  .setUsernameAndPassword(user, password)
                  .setResource("test")
                  .setConnectTimeout(CONNECT_TIMEOUT_MILLIS)
                  .build());
    } catch (XmppStringprepException e) {
      throw new IllegalArgumentException("bad domain " + peer.domain(), e);
    }
    connection.setReplyTimeout(REPLY_TIMEOUT_MILLIS);
    // Smack gives every connection a Roster (a startup class) that answers subscription requests
    // itself, by default denying them all. Manual mode leaves each answer to the test.
    Roster roster = Roster.getInstanceFor(connection);
    roster.setSubscriptionMode(Roster.SubscriptionMode.manual);
    XmppTestClient client = new XmppTestClient(connection, user + "@" + peer.domain());
    connection.addStanzaListener(
        stanza -> client.messages.add((Message) stanza), StanzaTypeFilter.MESSAGE);
    connection.addStanzaListener(
        stanza -> client.presences.add((Presence) stanza), StanzaTypeFilter.PRESENCE);
    try {
      connection.connect().login();
      // RFC 6121 §2.1.6: roster pushes, and the contact's answers to our subscription requests
      // (§3.1.6, §3.2.3), go only to resources that requested the roster. Smack requests it at
      // login without waiting; wait, so that a test acting at once misses none.
      roster.reloadAndWait();
    } catch (SmackException | IOException | XMPPException e) {
      connection.disconnect();
      throw new IllegalStateException(
          user + "@" + peer.domain() + " cannot log in to " + peer.c2sAddress(), e);
    } catch (InterruptedException e) {
      connection.disconnect();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while logging in", e);
    }
    if (!roster.isLoaded()) {
      connection.disconnect();
      throw new IllegalStateException(
          user + "@" + peer.domain() + " received no roster in " + REPLY_TIMEOUT_MILLIS + " ms");
    }
    return client;
  }

  /** The logged-in user's bare JID. */
  public EntityBareJid jid() {
    return connection.getUser().asEntityBareJid();
  }

  /** Sends a {@code <message type='chat'>} with {@code body} to {@code to}; returns it. */
  public Message sendChat(String to, String body) {
    Message message =
        connection
            .getStanzaFactory()
            .buildMessageStanza()
            .to(jid(to))
            .ofType(Message.Type.chat)
            .setBody(body)
            .build();
    send(message);
    return message;
  }

  /** Sends any stanza, e.g. one built with {@code getStanzaFactory()} of {@link #smack()}. */
  public void send(Stanza stanza) {
    try {
      connection.sendStanza(stanza);
    } catch (SmackException.NotConnectedException e) {
      throw new IllegalStateException(jid() + " is not connected", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending", e);
    }
  }

  /**
   * Waits for a received message that matches {@code match}, including one received before this
   * call and not yet taken by another call.
   *
   * @throws AssertionError on timeout, listing the messages that did arrive
   */
  public Message awaitMessage(Predicate<? super Message> match, Duration timeout) {
    return messages.await(match, timeout);
  }

  /** Waits for a message whose body is {@code body}; see {@link #awaitMessage}. */
  public Message awaitBody(String body, Duration timeout) {
    return awaitMessage(message -> body.equals(message.getBody()), timeout);
  }

  /**
   * Waits for a received {@code <presence/>} of any type that matches {@code match} (see {@link
   * Presences}), including one received before this call and not yet taken by another call: the
   * oldest such one.
   *
   * <p>Prosody answers a subscription request that the contact has not approved yet with the
   * contact's {@code unavailable} presence at once ("acknowledging receipt", mod_presence), and
   * reflects each presence the user sends back to the user. Take those before waiting for a later
   * one like them.
   *
   * @throws AssertionError on timeout, listing the presences that did arrive
   */
  public Presence awaitPresence(Predicate<? super Presence> match, Duration timeout) {
    return presences.await(match, timeout);
  }

  /**
   * Asks to receive the presence of {@code bareJid} (RFC 6121 §3.1.1): sends {@code
   * type='subscribe'}. The server adds it to the roster as {@link
   * RosterSubscription#NONE_PENDING_OUT}.
   */
  public void subscribe(String bareJid) {
    sendPresence(Presence.Type.subscribe, bareJid);
  }

  /** Approves the subscription request of {@code jid} (RFC 6121 §3.1.4): {@code subscribed}. */
  public void approve(String jid) {
    sendPresence(Presence.Type.subscribed, jid);
  }

  /**
   * Refuses the subscription request of {@code jid} (RFC 6121 §3.1.4), or cancels the subscription
   * it has (§3.2.1): {@code unsubscribed}.
   */
  public void deny(String jid) {
    sendPresence(Presence.Type.unsubscribed, jid);
  }

  /** Stops receiving the presence of {@code jid} (RFC 6121 §3.3.1): {@code unsubscribe}. */
  public void unsubscribe(String jid) {
    sendPresence(Presence.Type.unsubscribe, jid);
  }

  /**
   * Broadcasts available presence (RFC 6121 §4.4) with {@code mode} as {@code <show/>} ({@link
   * Presence.Mode#available}: none) and {@code status} as {@code <status/>} (null: none).
   */
  public void setPresence(Presence.Mode mode, String status) {
    Objects.requireNonNull(mode, "mode");
    send(
        connection
            .getStanzaFactory()
            .buildPresenceStanza()
            .ofType(Presence.Type.available)
            .setMode(mode)
            .setStatus(status)
            .build());
  }

  /**
   * Broadcasts unavailable presence (RFC 6121 §4.5.1); the connection stays, and a later {@link
   * #setPresence} makes the user available again.
   */
  public void setUnavailable() {
    send(
        connection
            .getStanzaFactory()
            .buildPresenceStanza()
            .ofType(Presence.Type.unavailable)
            .build());
  }

  /**
   * The subscription state of the roster item for {@code bareJid} as the server has it now: a fresh
   * roster request (RFC 6121 §2.1.3), answered after every stanza this client sent before. A change
   * the contact makes (approving, denying) shows once it has reached this user: await the contact's
   * {@code subscribed} or {@code unsubscribed} first.
   */
  public RosterSubscription rosterSubscription(String bareJid) {
    Jid contact = bare(bareJid);
    RosterPacket roster;
    try {
      roster = connection.sendIqRequestAndWaitForResponse(new RosterPacket());
    } catch (SmackException | XMPPException e) {
      throw new IllegalStateException(jid() + " cannot read its roster", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the roster", e);
    }
    return roster.getRosterItems().stream()
        .filter(item -> item.getJid().equals(contact))
        .findFirst()
        .map(RosterSubscription::of)
        .orElse(RosterSubscription.NO_ITEM);
  }

  /** The Smack connection, for what this class does not cover. */
  public XMPPTCPConnection smack() {
    return connection;
  }

  /** Disconnects (sending unavailable presence). */
  @Override
  public void close() {
    connection.disconnect();
  }

  private void sendPresence(Presence.Type type, String to) {
    send(connection.getStanzaFactory().buildPresenceStanza().ofType(type).to(bare(to)).build());
  }

  private static String xml(Stanza stanza) {
    return stanza.toXML().toString();
  }

  /** Subscriptions are between bare JIDs (RFC 6121 §3): a resource is the test's mistake. */
  private static Jid bare(String jid) {
    Jid parsed = jid(jid);
    if (parsed.hasResource()) {
      throw new IllegalArgumentException("not a bare JID: " + jid);
    }
    return parsed;
  }

  static Jid jid(String jid) {
    try {
      return JidCreate.from(jid);
    } catch (XmppStringprepException e) {
      throw new IllegalArgumentException("not a JID: " + jid, e);
    }
  }
}
