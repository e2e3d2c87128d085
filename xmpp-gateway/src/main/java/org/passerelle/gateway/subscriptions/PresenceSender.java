package org.passerelle.gateway.subscriptions;

import java.util.Objects;
import org.dom4j.DocumentFactory;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.passerelle.gateway.im.LinkSender;
import org.passerelle.gateway.presence.PresenceStanzas;
import org.passerelle.gateway.presence.PresenceState;
import org.passerelle.model.Namespaces;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@code <presence/>} stanzas from local SIP users to remote XMPP contacts over the link, and
 * logs the fate of each: a presence stanza that the link cannot take is told in the log, since XMPP
 * has no one to bounce it to.
 */
final class PresenceSender {
  private static final Logger LOG = LoggerFactory.getLogger(PresenceSender.class);
  private static final QName PRESENCE = QName.get("presence", Namespace.get(Namespaces.SERVER));

  /** The {@code type} values of RFC 6121 §4.7.1 that we send. */
  enum Type {
    SUBSCRIBE("subscribe"),
    SUBSCRIBED("subscribed"),
    UNSUBSCRIBE("unsubscribe"),
    UNSUBSCRIBED("unsubscribed"),
    PROBE("probe"),
    UNAVAILABLE("unavailable");

    private final String value;

    Type(String value) {
      this.value = value;
    }

    String value() {
      return value;
    }
  }

  private final LinkSender link;

  PresenceSender(LinkSender link) {
    this.link = Objects.requireNonNull(link, "link");
  }

  /** A presence stanza of {@code type} from {@code from} to {@code to}, both bare JIDs. */
  void send(Type type, String from, String to) {
    Element presence = DocumentFactory.getInstance().createElement(PRESENCE);
    presence.addAttribute("from", from);
    presence.addAttribute("to", to);
    presence.addAttribute("type", type.value());
    deliver(presence, type.value());
  }

  /** A presence notification (available or unavailable) carrying {@code state}. */
  void send(PresenceState state, String from, String to) {
    deliver(
        PresenceStanzas.toStanza(state, from, to),
        state.isAvailable() ? "available" : "unavailable");
  }

  private void deliver(Element presence, String what) {
    String from = presence.attributeValue("from");
    String to = presence.attributeValue("to");
    link.send(presence)
        .whenComplete(
            (ok, error) -> {
              if (error == null) {
                LOG.debug("presence {} {}→{} sent", what, from, to);
              } else {
                LOG.info("presence {} {}→{} not sent: {}", what, from, to, error.getMessage());
              }
            });
  }
}
