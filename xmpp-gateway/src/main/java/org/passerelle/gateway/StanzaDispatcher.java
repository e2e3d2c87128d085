package org.passerelle.gateway;

import org.dom4j.Element;
import org.passerelle.gateway.im.ImBridge;
import org.passerelle.gateway.im.LinkSender;
import org.passerelle.gateway.link.LinkListener;
import org.passerelle.model.StanzaErrors;
import org.passerelle.model.errors.StanzaCondition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each stanza from the link to the part of the gateway that translates its kind. What the
 * gateway does not translate yet is answered, never dropped: IQ requests get {@code
 * service-unavailable} (RFC 6120 §8.3.3.19).
 */
final class StanzaDispatcher implements LinkListener {
  private static final Logger LOG = LoggerFactory.getLogger(StanzaDispatcher.class);

  private final ImBridge im;
  private final LinkSender link;

  StanzaDispatcher(ImBridge im, LinkSender link) {
    this.im = im;
    this.link = link;
  }

  @Override
  public void onStanza(Element stanza) {
    switch (stanza.getName()) {
      case "message" -> im.fromXmpp(stanza);
      case "iq" -> {
        Element reply =
            StanzaErrors.bounce(
                stanza, StanzaCondition.SERVICE_UNAVAILABLE, "not offered by this gateway");
        if (reply != null) {
          link.send(reply);
        }
      }
      default ->
          // TODO(issue 4): presence interworking (RFC 8048).
          LOG.debug(
              "presence {} {}→{} not translated yet",
              stanza.attributeValue("type", "available"),
              stanza.attributeValue("from"),
              stanza.attributeValue("to"));
    }
  }
}
