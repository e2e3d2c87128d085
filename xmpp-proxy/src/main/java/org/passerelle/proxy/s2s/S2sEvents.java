package org.passerelle.proxy.s2s;

/**
 * What happens to streams, for observers (metrics, status, tests). Called on event loops: an
 * implementation must be quick and must not block.
 */
public interface S2sEvents {
  S2sEvents NONE = new S2sEvents() {};

  /** A remote domain authenticated on a stream it opened to us. */
  default void inboundAuthenticated(DomainPair pair, AuthMethod method) {}

  /** Our stream to a remote domain is authenticated and carries stanzas. */
  default void outboundAuthenticated(DomainPair pair, AuthMethod method) {}
}
