package org.passerelle.proxy.routing;

import org.dom4j.Element;

/** The local side of the proxy: receives stanzas addressed to the organisation's domains. */
@FunctionalInterface
public interface LocalDelivery {
  /**
   * Takes a stanza for a local address. Returns {@code false} if it cannot take it now, in which
   * case the router answers its sender.
   */
  boolean deliver(Element stanza);
}
