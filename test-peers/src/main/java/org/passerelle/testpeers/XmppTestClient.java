package org.passerelle.testpeers;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * A Smack client logged in to a test peer over plain c2s, which sends messages and collects every
 * message it receives (error messages too) for tests to await.
 *
 * <pre>{@code
 * try (XmppTestClient alice = XmppTestClient.login(ejabberd, "alice", "secret")) {
 *   alice.sendChat("bob@p.test", "hello");
 *   Message reply = alice.awaitMessage(m -> "hi".equals(m.getBody()), Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class XmppTestClient implements AutoCloseable {

  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

  /** Smack's default (5 s) is short for a loaded CI machine starting several daemons. */
  private static final long REPLY_TIMEOUT_MILLIS = 15_000;

  private final XMPPTCPConnection connection;
  private final BlockingQueue<Message> incoming = new LinkedBlockingQueue<>();

  /** Received messages that an {@link #awaitMessage} call did not take. */
  private final List<Message> unclaimed = new ArrayList<>();

  private XmppTestClient(XMPPTCPConnection connection) {
    this.connection = connection;
  }

  /**
   * Connects to {@code peer}'s c2s port, logs in as {@code user@peer.domain()} with resource {@code
   * test} and sends initial presence, so that messages to the bare JID are delivered.
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
    XmppTestClient client = new XmppTestClient(connection);
    connection.addStanzaListener(
        stanza -> client.incoming.add((Message) stanza), StanzaTypeFilter.MESSAGE);
    try {
      connection.connect().login();
    } catch (SmackException | IOException | XMPPException e) {
      connection.disconnect();
      throw new IllegalStateException(
          user + "@" + peer.domain() + " cannot log in to " + peer.c2sAddress(), e);
    } catch (InterruptedException e) {
      connection.disconnect();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while logging in", e);
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

  /** Sends any message, e.g. one built with {@code getStanzaFactory()} of {@link #smack()}. */
  public void send(Message message) {
    try {
      connection.sendStanza(message);
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
  public synchronized Message awaitMessage(Predicate<? super Message> match, Duration timeout) {
    Objects.requireNonNull(match, "match");
    for (Iterator<Message> it = unclaimed.iterator(); it.hasNext(); ) {
      Message message = it.next();
      if (match.test(message)) {
        it.remove();
        return message;
      }
    }
    Instant deadline = Instant.now().plus(timeout);
    try {
      while (true) {
        long left = Duration.between(Instant.now(), deadline).toMillis();
        Message message = left > 0 ? incoming.poll(left, TimeUnit.MILLISECONDS) : null;
        if (message == null) {
          throw new AssertionError(
              jid()
                  + " received no matching message within "
                  + timeout.toMillis()
                  + " ms; received: "
                  + unclaimed.stream()
                      .map(m -> m.toXML().toString())
                      .collect(Collectors.joining("\n", "[\n", "\n]")));
        }
        if (match.test(message)) {
          return message;
        }
        unclaimed.add(message);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a message", e);
    }
  }

  /** Waits for a message whose body is {@code body}; see {@link #awaitMessage}. */
  public Message awaitBody(String body, Duration timeout) {
    return awaitMessage(message -> body.equals(message.getBody()), timeout);
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

  private static Jid jid(String jid) {
    try {
      return JidCreate.from(jid);
    } catch (XmppStringprepException e) {
      throw new IllegalArgumentException("not a JID: " + jid, e);
    }
  }
}
