package org.passerelle.proxy.routing;

import org.passerelle.model.errors.StanzaCondition;

/**
 * What the router does with stanzas it cannot deliver, for observers (metrics). Called on event
 * loops: an implementation must be quick, must not block, and should not allocate.
 */
public interface RoutingEvents {
  RoutingEvents NONE = condition -> {};

  /**
   * A stanza could not be delivered and was answered with {@code condition} (or, being an error or
   * a result itself, only logged: RFC 6120 §8.3.1).
   */
  void bounced(StanzaCondition condition);
}
