package org.passerelle.gateway.im;

import org.dom4j.Element;
import org.passerelle.model.Correlation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's stanza log: one line for each message that crossed the gateway, saying which way
 * and with what answer, with its id and correlation id (see {@link Correlation}), so that a message
 * can be followed from the proxy's stanza log through the gateway to SIP and back.
 *
 * <p>Its own logger, {@value #NAME}, at INFO, like the proxy's {@code
 * org.passerelle.proxy.stanzas}: set it to WARN to silence it at high rates. Messages that fail
 * (bounces, refusals) are logged by {@link ImBridge} on its own logger and stay visible. Bodies are
 * never logged. When the logger is off a call costs one level check: nothing is looked up or built.
 */
public final class StanzaLog {
  public static final String NAME = "org.passerelle.gateway.stanzas";
  private static final Logger LOG = LoggerFactory.getLogger(NAME);

  private static final String DELIVERED = "message id={} cid={} {}→{} delivered to SIP ({})";
  private static final String HANDED =
      "message id={} cid={} {}→{} (SIP Call-ID {}) handed to XMPP (202)";

  private StanzaLog() {}

  /** An XMPP {@code <message/>} was answered 2xx by the SIP side. */
  static void deliveredToSip(Element message, int status) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    LOG.info(
        DELIVERED,
        message.attributeValue("id"),
        Correlation.forLog(message),
        message.attributeValue("from"),
        message.attributeValue("to"),
        status);
  }

  /** A SIP MESSAGE was taken by the proxy as the stanza {@code id} and answered 202. */
  static void handedToXmpp(String id, String correlationId, String from, String to, String callId) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    LOG.info(HANDED, id, correlationId, from, to, callId);
  }
}
