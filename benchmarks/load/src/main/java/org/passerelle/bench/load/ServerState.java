package org.passerelle.bench.load;

import java.util.EnumSet;
import java.util.Set;

/**
 * A stream the proxy opens to the simulator, which plays the receiving entity (RFC 6120 §4.3):
 * STARTTLS required (§5.4), then dialback (XEP-0220) in either role — answering {@code db:verify}
 * as the authoritative server of a remote domain (§2.2.2), or accepting the proxy's {@code
 * db:result} — then stanzas for the S2S sink.
 */
enum ServerState {
  /** §4.7: waiting for the initiator's header. */
  AWAITING_HEADER,
  /** Features sent with STARTTLS required: only starttls may come. */
  AWAITING_STARTTLS,
  /** §5.4.3.3: handshaking; the initiator's new header follows. */
  TLS_HANDSHAKE,
  /** The restarted stream's header. */
  AWAITING_SECURE_HEADER,
  /** Dialback offered: db:verify, db:result and, once a domain is valid, stanzas. */
  OPEN,
  CLOSED;

  private Set<ServerState> next() {
    return switch (this) {
      case AWAITING_HEADER -> EnumSet.of(AWAITING_STARTTLS);
      case AWAITING_STARTTLS -> EnumSet.of(TLS_HANDSHAKE);
      case TLS_HANDSHAKE -> EnumSet.of(AWAITING_SECURE_HEADER);
      case AWAITING_SECURE_HEADER -> EnumSet.of(OPEN);
      case OPEN, CLOSED -> EnumSet.noneOf(ServerState.class);
    };
  }

  ServerState to(ServerState target) {
    if (target != CLOSED && !next().contains(target)) {
      throw new IllegalStateException("S2S server: " + this + " → " + target + " is not allowed");
    }
    return target;
  }
}
