package org.passerelle.proxy.s2s;

import java.util.EnumSet;
import java.util.Set;

/** States of one connection we open, as the initiating entity (RFC 6120 §4.3, §9.1). */
enum OutboundState {
  /** TCP (and, for XEP-0368 direct TLS, the TLS handshake) is being set up. */
  CONNECTING,
  /** Our stream header is sent; waiting for the receiver's, which carries the stream id. */
  AWAITING_HEADER,
  /** Waiting for the receiver's stream features (§4.3.2). */
  AWAITING_FEATURES,
  /** {@code <starttls/>} sent; waiting for {@code <proceed/>} (§5.4.2.3). */
  STARTTLS_REQUESTED,
  /** {@code <proceed/>} received; the TLS handshake runs (§5.4.3.3). */
  TLS_HANDSHAKE,
  /** SASL EXTERNAL requested (XEP-0178 §3). */
  SASL_REQUESTED,
  /** {@code <db:result/>} sent; waiting for the receiver's verdict (XEP-0220 §2.1.1). */
  DIALBACK_REQUESTED,
  /** Authenticated: stanzas flow to the remote domain. */
  ESTABLISHED,
  CLOSED;

  private Set<OutboundState> next;

  static {
    CONNECTING.next = EnumSet.of(AWAITING_HEADER, CLOSED);
    AWAITING_HEADER.next = EnumSet.of(AWAITING_FEATURES, DIALBACK_REQUESTED, CLOSED);
    AWAITING_FEATURES.next =
        EnumSet.of(STARTTLS_REQUESTED, SASL_REQUESTED, DIALBACK_REQUESTED, ESTABLISHED, CLOSED);
    STARTTLS_REQUESTED.next = EnumSet.of(TLS_HANDSHAKE, CLOSED);
    TLS_HANDSHAKE.next = EnumSet.of(AWAITING_HEADER, CLOSED);
    SASL_REQUESTED.next = EnumSet.of(AWAITING_HEADER, DIALBACK_REQUESTED, CLOSED);
    DIALBACK_REQUESTED.next = EnumSet.of(ESTABLISHED, CLOSED);
    ESTABLISHED.next = EnumSet.of(CLOSED);
    CLOSED.next = EnumSet.noneOf(OutboundState.class);
  }

  OutboundState to(OutboundState target) {
    if (!next.contains(target)) {
      throw new IllegalStateException("outbound stream cannot go from " + this + " to " + target);
    }
    return target;
  }
}
