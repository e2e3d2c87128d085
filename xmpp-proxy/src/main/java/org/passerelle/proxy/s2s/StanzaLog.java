package org.passerelle.proxy.s2s;

import org.dom4j.Element;
import org.passerelle.model.Correlation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's stanza log: one line each time a stanza leaves the proxy, saying where to, with its
 * id and correlation id (see {@link org.passerelle.model.Correlation}), so that one stanza can be
 * followed from the remote server to the gateway and back. Bounces are logged by the router, with
 * their reason (past 20 a second, summed up: {@code BounceLog}).
 *
 * <p>Its own logger, {@value #NAME}: messages at INFO, presence and IQ (which can be many more) at
 * DEBUG. Set it to WARN to silence the log, to DEBUG to follow presence too. Bodies are never
 * logged.
 */
public final class StanzaLog {
  public static final String NAME = "org.passerelle.proxy.stanzas";
  private static final Logger LOG = LoggerFactory.getLogger(NAME);

  private static final String SENT = "{} id={} cid={} {}→{} sent on s2s-out[{}]";
  private static final String HANDED = "{} id={} cid={} {}→{} handed to {}";

  private StanzaLog() {}

  /** The stanza was written to an outbound stream to a remote server; no id is {@code null}. */
  public static void sentToRemote(Element stanza, String correlationId, DomainPair pair) {
    log(stanza, correlationId, SENT, pair);
  }

  /** The stanza was written to a gateway's link. */
  public static void handedToGateway(Element stanza, String correlationId, Object link) {
    log(stanza, correlationId, HANDED, link);
  }

  private static void log(Element stanza, String correlationId, String format, Object where) {
    boolean message = "message".equals(stanza.getName());
    if (message ? !LOG.isInfoEnabled() : !LOG.isDebugEnabled()) {
      return;
    }
    Object[] arguments = {
      stanza.getName(),
      stanza.attributeValue("id"),
      correlationId != null ? correlationId : Correlation.NONE,
      stanza.attributeValue("from"),
      stanza.attributeValue("to"),
      where
    };
    if (message) {
      LOG.info(format, arguments);
    } else {
      LOG.debug(format, arguments);
    }
  }
}
