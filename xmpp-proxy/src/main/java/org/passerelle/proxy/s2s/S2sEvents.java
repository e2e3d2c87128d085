package org.passerelle.proxy.s2s;

import java.net.SocketAddress;
import java.util.Objects;
import org.passerelle.model.StanzaKind;
import org.passerelle.proxy.dns.ConnectTarget;
import org.passerelle.stream.StreamErrorCondition;

/**
 * What happens to streams and the stanzas they carry, for observers (metrics, status, tests).
 * Called on event loops: an implementation must be quick, must not block, and should not allocate
 * per stanza.
 */
public interface S2sEvents {
  S2sEvents NONE = new S2sEvents() {};

  /** A remote domain authenticated on a stream it opened to us. */
  default void inboundAuthenticated(DomainPair pair, AuthMethod method) {}

  /** Our stream to a remote domain is authenticated and carries stanzas. */
  default void outboundAuthenticated(DomainPair pair, AuthMethod method) {}

  /** One step of negotiating a stream we opened to {@code target}, in order. */
  default void outbound(DomainPair pair, ConnectTarget target, OutboundStep step) {}

  /**
   * As authoritative server we answered a dialback verification (XEP-0220 §2.2.2): {@code pair} is
   * our originating domain and the receiving domain that asked.
   */
  default void dialbackVerified(DomainPair pair, boolean valid) {}

  /**
   * We ended a stream, in either direction, with a stream error (RFC 6120 §4.9): the peer was told
   * why.
   *
   * @param peer the remote end of the connection
   */
  default void streamErrorSent(SocketAddress peer, StreamErrorCondition condition, String text) {}

  /** A connection was made, either way; {@code stream} follows it until {@link #streamClosed}. */
  default void streamOpened(S2sStream stream) {}

  /** The connection of a stream passed to {@link #streamOpened} is closed. */
  default void streamClosed(S2sStream stream) {}

  /**
   * A stanza arrived on an authenticated inbound stream: it goes to the router, unless the domain's
   * stanza rate refuses it.
   */
  default void stanzaReceived(StanzaKind kind) {}

  /** A stanza was written to an established outbound stream. */
  default void stanzaSent(StanzaKind kind) {}

  /** Both observers, {@code first} first; either may be {@link #NONE}. */
  static S2sEvents both(S2sEvents first, S2sEvents second) {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(second, "second");
    if (first == NONE) {
      return second;
    }
    if (second == NONE) {
      return first;
    }
    return new S2sEvents() {
      @Override
      public void inboundAuthenticated(DomainPair pair, AuthMethod method) {
        first.inboundAuthenticated(pair, method);
        second.inboundAuthenticated(pair, method);
      }

      @Override
      public void outboundAuthenticated(DomainPair pair, AuthMethod method) {
        first.outboundAuthenticated(pair, method);
        second.outboundAuthenticated(pair, method);
      }

      @Override
      public void outbound(DomainPair pair, ConnectTarget target, OutboundStep step) {
        first.outbound(pair, target, step);
        second.outbound(pair, target, step);
      }

      @Override
      public void dialbackVerified(DomainPair pair, boolean valid) {
        first.dialbackVerified(pair, valid);
        second.dialbackVerified(pair, valid);
      }

      @Override
      public void streamOpened(S2sStream stream) {
        first.streamOpened(stream);
        second.streamOpened(stream);
      }

      @Override
      public void streamClosed(S2sStream stream) {
        first.streamClosed(stream);
        second.streamClosed(stream);
      }

      @Override
      public void streamErrorSent(SocketAddress peer, StreamErrorCondition condition, String text) {
        first.streamErrorSent(peer, condition, text);
        second.streamErrorSent(peer, condition, text);
      }

      @Override
      public void stanzaReceived(StanzaKind kind) {
        first.stanzaReceived(kind);
        second.stanzaReceived(kind);
      }

      @Override
      public void stanzaSent(StanzaKind kind) {
        first.stanzaSent(kind);
        second.stanzaSent(kind);
      }
    };
  }
}
