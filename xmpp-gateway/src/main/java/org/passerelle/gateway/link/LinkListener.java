package org.passerelle.gateway.link;

import org.dom4j.Element;

/** Receives what arrives over the link; called on the link's event loop, must not block. */
public interface LinkListener {
  /** A stanza for an address of the gateway's domain, in the {@code jabber:server} namespace. */
  void onStanza(Element stanza);

  /** The link is attached and stanzas flow. */
  default void onLinkUp() {}

  /** The link is down; it is being re-established. */
  default void onLinkDown() {}
}
