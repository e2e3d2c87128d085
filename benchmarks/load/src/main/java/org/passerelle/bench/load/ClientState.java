package org.passerelle.bench.load;

import java.util.EnumSet;
import java.util.Set;

/**
 * The simulator's outgoing S2S stream, as the initiating entity (RFC 6120 §4.3): STARTTLS (§5.4),
 * then server dialback as the originating server (XEP-0220 §2.1), then stanzas.
 */
enum ClientState {
  /** TCP connecting; the header goes out when connected. */
  CONNECTING,
  /** §4.7: waiting for the receiver's response header. */
  AWAITING_HEADER,
  /** §4.3.2: waiting for features offering STARTTLS. */
  AWAITING_FEATURES,
  /** §5.4.2.1: starttls sent, waiting for proceed. */
  STARTTLS_SENT,
  /** §5.4.3.3: handshaking; a new header follows. */
  TLS_HANDSHAKE,
  /** §5.4.3.3: the restarted stream's header. */
  AWAITING_SECURE_HEADER,
  /** Features after TLS, offering dialback (XEP-0220 §2.4.2). */
  AWAITING_SECURE_FEATURES,
  /** XEP-0220 §2.1.1: db:result sent, the receiver is verifying with our authoritative server. */
  DIALBACK_SENT,
  /** XEP-0220 §2.1.3: authenticated; stanzas may flow. */
  OPEN,
  CLOSED;

  private Set<ClientState> next() {
    return switch (this) {
      case CONNECTING -> EnumSet.of(AWAITING_HEADER);
      case AWAITING_HEADER -> EnumSet.of(AWAITING_FEATURES);
      case AWAITING_FEATURES -> EnumSet.of(STARTTLS_SENT);
      case STARTTLS_SENT -> EnumSet.of(TLS_HANDSHAKE);
      case TLS_HANDSHAKE -> EnumSet.of(AWAITING_SECURE_HEADER);
      case AWAITING_SECURE_HEADER -> EnumSet.of(AWAITING_SECURE_FEATURES);
      case AWAITING_SECURE_FEATURES -> EnumSet.of(DIALBACK_SENT);
      case DIALBACK_SENT -> EnumSet.of(OPEN);
      case OPEN, CLOSED -> EnumSet.noneOf(ClientState.class);
    };
  }

  ClientState to(ClientState target) {
    if (target != CLOSED && !next().contains(target)) {
      throw new IllegalStateException("S2S client: " + this + " → " + target + " is not allowed");
    }
    return target;
  }
}
