package org.passerelle.proxy.s2s;

import java.util.EnumSet;
import java.util.Set;

/** States of a stream we receive, as the receiving entity (RFC 6120 §4.3, §9.2). */
enum InboundState {
  /** Waiting for the initiator's stream header: at first and after each restart (§4.3.3). */
  AWAITING_HEADER,
  /** Header and features sent; STARTTLS, SASL or dialback may follow (§4.3.2). */
  NEGOTIATING,
  /** {@code <proceed/>} sent; the TLS handshake runs (§5.4.3.3). */
  TLS_HANDSHAKE,
  /** At least one sending domain is authenticated; stanzas are accepted (§4.3.5). */
  OPEN,
  /** The stream is over; nothing more is read or written. */
  CLOSED;

  private Set<InboundState> next;

  static {
    AWAITING_HEADER.next = EnumSet.of(NEGOTIATING, OPEN, CLOSED);
    NEGOTIATING.next = EnumSet.of(TLS_HANDSHAKE, AWAITING_HEADER, OPEN, CLOSED);
    TLS_HANDSHAKE.next = EnumSet.of(AWAITING_HEADER, CLOSED);
    OPEN.next = EnumSet.of(CLOSED);
    CLOSED.next = EnumSet.noneOf(InboundState.class);
  }

  InboundState to(InboundState target) {
    if (!next.contains(target)) {
      throw new IllegalStateException("inbound stream cannot go from " + this + " to " + target);
    }
    return target;
  }
}
