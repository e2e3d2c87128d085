package org.passerelle.proxy.s2s;

import java.net.SocketAddress;
import org.passerelle.stream.StreamErrorCondition;

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

  /**
   * We ended a stream, in either direction, with a stream error (RFC 6120 §4.9): the peer was told
   * why.
   *
   * @param peer the remote end of the connection
   */
  default void streamErrorSent(SocketAddress peer, StreamErrorCondition condition, String text) {}
}
