package org.passerelle.gateway.im;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.passerelle.model.Jids;

/**
 * Messages translated from SIP to XMPP, by stanza id, for a while: an XMPP error may come back for
 * one after its SIP transaction was answered, and its SIP sender must still hear of it. Bounded in
 * count and age; thread-safe.
 */
public final class SentMessages {
  /** Who sent a message from SIP, to whom, and its correlation id. */
  public record Sent(String sipSender, String xmppRecipient, String correlationId, long atMillis) {}

  private final Map<String, Sent> byId;
  private final Duration maxAge;
  private final Clock clock;

  public SentMessages(int capacity, Duration maxAge, Clock clock) {
    this.maxAge = maxAge;
    this.clock = clock;
    this.byId =
        new LinkedHashMap<>(256) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Sent> eldest) {
            return size() > capacity;
          }
        };
  }

  public synchronized void remember(
      String id, String sipSender, String xmppRecipient, String correlationId) {
    byId.put(id, new Sent(sipSender, xmppRecipient, correlationId, clock.millis()));
  }

  /**
   * The message with this id, once, if {@code errorFrom} is of its recipient's domain: an error
   * about a message comes from the server that could not deliver it. Stanza ids are not secret
   * ({@link MessageMapper}), so an error from another domain is not matched, and the message is
   * kept for the real answer.
   */
  public synchronized Sent take(String id, String errorFrom) {
    Sent sent = id == null ? null : byId.get(id);
    if (sent == null) {
      return null;
    }
    String domain = Jids.domainOf(errorFrom);
    if (domain == null || !domain.equalsIgnoreCase(Jids.domainOf(sent.xmppRecipient()))) {
      return null;
    }
    return take(id);
  }

  /** The message with this id, once: it is forgotten as it is returned. */
  public synchronized Sent take(String id) {
    Sent sent = id == null ? null : byId.remove(id);
    if (sent == null || clock.millis() - sent.atMillis() > maxAge.toMillis()) {
      return null;
    }
    return sent;
  }
}
