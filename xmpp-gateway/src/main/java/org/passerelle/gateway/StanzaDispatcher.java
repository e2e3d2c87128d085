package org.passerelle.gateway;

import org.dom4j.Element;
import org.passerelle.gateway.im.ImBridge;
import org.passerelle.gateway.im.LinkSender;
import org.passerelle.gateway.link.LinkListener;
import org.passerelle.gateway.subscriptions.PresenceBridge;
import org.passerelle.model.Correlation;
import org.passerelle.model.StanzaErrors;
import org.passerelle.model.errors.StanzaCondition;

/**
 * Sends each stanza from the link to the part of the gateway that translates its kind: messages to
 * {@link ImBridge}, presence to {@link PresenceBridge}. What the gateway does not translate is
 * answered, never dropped: IQ requests get {@code service-unavailable} (RFC 6120 §8.3.3.19).
 */
final class StanzaDispatcher implements LinkListener {
  private final ImBridge im;
  private final PresenceBridge presence;
  private final LinkSender link;

  StanzaDispatcher(ImBridge im, PresenceBridge presence, LinkSender link) {
    this.im = im;
    this.presence = presence;
    this.link = link;
  }

  @Override
  public void onLinkUp() {
    presence.onLinkUp();
  }

  /**
   * A stanza from the link keeps the correlation id the proxy gave it; one that comes without (from
   * an XMPP server that is not our proxy) gets one here.
   */
  @Override
  public void onStanza(Element stanza) {
    Correlation.ensure(stanza);
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
      default -> presence.onStanza(stanza);
    }
  }
}
