package org.passerelle.proxy.link;

import org.passerelle.model.StanzaKind;

/**
 * Stanzas crossing the link, for observers (metrics). Called on event loops: an implementation must
 * be quick, must not block, and should not allocate.
 */
public interface LinkEvents {
  LinkEvents NONE = new LinkEvents() {};

  /** A stanza was written to a gateway. */
  default void stanzaToGateway(StanzaKind kind) {}

  /** A stanza came from a gateway and goes to the router. */
  default void stanzaFromGateway(StanzaKind kind) {}
}
