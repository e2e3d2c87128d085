package org.passerelle.proxy.s2s;

import org.dom4j.Element;

/** Where stanzas accepted on inbound streams go: the proxy's router. */
@FunctionalInterface
public interface StanzaSink {
  /**
   * A stanza whose sending domain was authenticated on its stream.
   *
   * @param stanza the stanza, in the {@code jabber:server} namespace
   * @param pair {@code local} is the addressed local domain, {@code remote} the sending domain
   */
  void accept(Element stanza, DomainPair pair);
}
