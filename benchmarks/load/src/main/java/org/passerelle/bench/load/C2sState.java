package org.passerelle.bench.load;

import java.util.EnumSet;
import java.util.Set;

/**
 * A load client's stream to its XMPP server (RFC 6120): STARTTLS (§5.4), SASL PLAIN (§6, RFC 4616),
 * resource binding (§7), initial presence (RFC 6121 §4.2), then stanzas.
 */
enum C2sState {
  /** TCP connecting; the header goes out when connected. */
  CONNECTING,
  /** §4.7: waiting for the server's response header. */
  AWAITING_HEADER,
  /** §4.3.2: waiting for features offering STARTTLS. */
  AWAITING_FEATURES,
  /** §5.4.2.1: starttls sent, waiting for proceed. */
  STARTTLS_SENT,
  /** §5.4.3.3: handshaking; a new header follows. */
  TLS_HANDSHAKE,
  /** §5.4.3.3: the restarted stream's header. */
  AWAITING_SECURE_HEADER,
  /** Features after TLS, offering SASL PLAIN. */
  AWAITING_SASL_FEATURES,
  /** §6.4.2: auth sent, waiting for success. */
  AUTH_SENT,
  /** §6.4.6: the stream restarted after SASL; its header. */
  AWAITING_AUTHENTICATED_HEADER,
  /** Features offering resource binding. */
  AWAITING_BIND_FEATURES,
  /** §7.6: bind sent, waiting for the result. */
  BIND_SENT,
  /** RFC 6121 §4.2: initial presence sent; the server echoes it to us when it is in effect. */
  PRESENCE_SENT,
  /** Available: messages to our bare JID reach us, and we may send. */
  OPEN,
  CLOSED;

  private Set<C2sState> next() {
    return switch (this) {
      case CONNECTING -> EnumSet.of(AWAITING_HEADER);
      case AWAITING_HEADER -> EnumSet.of(AWAITING_FEATURES);
      case AWAITING_FEATURES -> EnumSet.of(STARTTLS_SENT);
      case STARTTLS_SENT -> EnumSet.of(TLS_HANDSHAKE);
      case TLS_HANDSHAKE -> EnumSet.of(AWAITING_SECURE_HEADER);
      case AWAITING_SECURE_HEADER -> EnumSet.of(AWAITING_SASL_FEATURES);
      case AWAITING_SASL_FEATURES -> EnumSet.of(AUTH_SENT);
      case AUTH_SENT -> EnumSet.of(AWAITING_AUTHENTICATED_HEADER);
      case AWAITING_AUTHENTICATED_HEADER -> EnumSet.of(AWAITING_BIND_FEATURES);
      case AWAITING_BIND_FEATURES -> EnumSet.of(BIND_SENT);
      case BIND_SENT -> EnumSet.of(PRESENCE_SENT);
      case PRESENCE_SENT -> EnumSet.of(OPEN);
      case OPEN, CLOSED -> EnumSet.noneOf(C2sState.class);
    };
  }

  C2sState to(C2sState target) {
    if (target != CLOSED && !next().contains(target)) {
      throw new IllegalStateException("c2s client: " + this + " → " + target + " is not allowed");
    }
    return target;
  }
}
