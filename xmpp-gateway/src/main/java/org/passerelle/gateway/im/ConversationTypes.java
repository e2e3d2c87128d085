package org.passerelle.gateway.im;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers, per pair of contacts, whether the XMPP side writes {@code chat} messages, so replies
 * from SIP come back as {@code chat} too. RFC 7572 §5 asks for {@code normal}, but clients show
 * {@code normal} messages apart from the conversation; following the contact's own choice keeps the
 * conversation in one window. Bounded (least recently used pairs are forgotten) and thread-safe.
 */
public final class ConversationTypes {
  private final Map<String, Boolean> chatting;

  public ConversationTypes(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.chatting =
        new LinkedHashMap<>(64, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  /** Notes the type of a message from an XMPP contact to a local user (bare addresses). */
  public synchronized void sawFromXmpp(String xmppContact, String localUser, String type) {
    chatting.put(key(xmppContact, localUser), "chat".equals(type));
  }

  /** The type for a message from a local user to an XMPP contact. */
  public synchronized String typeFor(String localUser, String xmppContact) {
    return Boolean.TRUE.equals(chatting.get(key(xmppContact, localUser))) ? "chat" : "normal";
  }

  private static String key(String xmppContact, String localUser) {
    return bare(xmppContact) + '\n' + bare(localUser);
  }

  private static String bare(String jid) {
    int slash = jid.indexOf('/');
    return slash < 0 ? jid : jid.substring(0, slash);
  }
}
