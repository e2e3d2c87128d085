package org.passerelle.gateway.presence;

import java.util.Objects;
import org.dom4j.DocumentFactory;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.passerelle.model.Jids;
import org.passerelle.model.LocalizedChildren;
import org.passerelle.model.Namespaces;

/**
 * {@link PresenceState} ⇄ XMPP {@code <presence/>} in {@code jabber:server} (RFC 6121 §4.7), the
 * stanza side of RFC 8048 §6: no {@code type} when available, {@code type='unavailable'} when not;
 * {@code <show/>}, {@code <status xml:lang>} and {@code <priority/>}. Only those two kinds of
 * presence are notifications (§6.2); subscriptions and probes are the flows' business.
 */
public final class PresenceStanzas {
  private static final DocumentFactory DOM = DocumentFactory.getInstance();
  private static final Namespace SERVER = Namespace.get(Namespaces.SERVER);
  private static final QName PRESENCE = QName.get("presence", SERVER);
  private static final QName SHOW = QName.get("show", SERVER);
  private static final QName STATUS = QName.get("status", SERVER);
  private static final QName PRIORITY = QName.get("priority", SERVER);
  private static final QName LANG = QName.get("lang", Namespace.XML_NAMESPACE);
  private static final String UNAVAILABLE = "unavailable";

  private PresenceStanzas() {}

  /** Whether a {@code <presence/>} is a notification: no type, or {@code unavailable}. */
  public static boolean isNotification(Element presence) {
    String type = presence.attributeValue("type");
    return type == null || type.equals(UNAVAILABLE);
  }

  /**
   * The state a {@code <presence/>} notification carries, the resource being the resourcepart of
   * its {@code from}. Lenient as RFC 6121 readers are: an unknown {@code <show/>} is none, a
   * priority that is not an integer from -128 to 127 is ignored, a show on unavailable presence
   * too, a blank status too. Of several {@code <status/>}, the one in the stanza's language (or
   * without one) is taken, else the first (RFC 6120 §8.1.5); a status without {@code xml:lang} has
   * the stanza's.
   *
   * @throws IllegalArgumentException if the stanza is no {@code <presence/>} notification ({@link
   *     #isNotification})
   */
  public static PresenceState fromStanza(Element presence) {
    if (!PRESENCE.getName().equals(presence.getName())) {
      throw new IllegalArgumentException("not a presence stanza: <" + presence.getName() + ">");
    }
    if (!isNotification(presence)) {
      throw new IllegalArgumentException(
          "presence of type '"
              + presence.attributeValue("type")
              + "' is no notification (RFC 8048 §6.2)");
    }
    boolean available = presence.attributeValue("type") == null;
    PresenceState.Builder state =
        available ? PresenceState.available() : PresenceState.unavailable();
    if (available) {
      Show show = Show.fromXmlValue(trimmedText(presence.element(SHOW)));
      state.show(show == null ? Show.NONE : show);
    }
    String stanzaLanguage = presence.attributeValue(LANG);
    Element status = LocalizedChildren.pick(presence, STATUS);
    if (status != null && !status.getText().isBlank()) {
      String language = status.attributeValue(LANG, stanzaLanguage);
      state.status(
          status.getText(),
          language != null && PresenceState.isLanguageTag(language) ? language : null);
    }
    String priority = trimmedText(presence.element(PRIORITY));
    if (priority != null) {
      try {
        int value = Integer.parseInt(priority);
        if (value >= PresenceState.MIN_PRIORITY && value <= PresenceState.MAX_PRIORITY) {
          state.priority(value);
        }
      } catch (NumberFormatException e) {
        // RFC 6121 §4.7.2.3 allows integers only; a client that sends more is not followed.
      }
    }
    return state.resource(Jids.resourceOf(presence.attributeValue("from"))).build();
  }

  /**
   * A {@code <presence/>} notification in {@code jabber:server} for a state: children in RFC 6121
   * order (show, status, priority), the status's language on {@code <status/>}, no {@code id} (RFC
   * 8048 §6.3 maps none). The state's resource is not used: {@code from} is the caller's choice,
   * since a SIP tuple id does not name a stable XMPP resource.
   */
  public static Element toStanza(PresenceState state, String from, String to) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Element presence = DOM.createElement(PRESENCE);
    presence.addAttribute("from", from);
    presence.addAttribute("to", to);
    if (!state.isAvailable()) {
      presence.addAttribute("type", UNAVAILABLE);
    }
    if (state.show() != Show.NONE) {
      presence.addElement(SHOW).addText(state.show().xmlValue());
    }
    if (state.status() != null) {
      Element status = presence.addElement(STATUS);
      if (state.statusLanguage() != null) {
        status.addAttribute(LANG, state.statusLanguage());
      }
      status.addText(state.status());
    }
    if (state.priority().isPresent()) {
      presence.addElement(PRIORITY).addText(Integer.toString(state.priority().getAsInt()));
    }
    return presence;
  }

  private static String trimmedText(Element element) {
    return element == null ? null : element.getTextTrim();
  }
}
