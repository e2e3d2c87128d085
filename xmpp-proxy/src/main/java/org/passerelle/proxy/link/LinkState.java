package org.passerelle.proxy.link;

import java.util.EnumSet;
import java.util.Set;

/** States of a gateway's link connection, as seen by the proxy (XEP-0114 §3). */
enum LinkState {
  /** TLS is up; waiting for the component's stream header naming its domain. */
  AWAITING_HEADER,
  /** Header answered with a stream id; waiting for {@code <handshake/>}. */
  AWAITING_HANDSHAKE,
  /** Authenticated and attached: stanzas flow both ways. */
  OPEN,
  CLOSED;

  private Set<LinkState> next;

  static {
    AWAITING_HEADER.next = EnumSet.of(AWAITING_HANDSHAKE, CLOSED);
    AWAITING_HANDSHAKE.next = EnumSet.of(OPEN, CLOSED);
    OPEN.next = EnumSet.of(CLOSED);
    CLOSED.next = EnumSet.noneOf(LinkState.class);
  }

  LinkState to(LinkState target) {
    if (!next.contains(target)) {
      throw new IllegalStateException("link cannot go from " + this + " to " + target);
    }
    return target;
  }
}
