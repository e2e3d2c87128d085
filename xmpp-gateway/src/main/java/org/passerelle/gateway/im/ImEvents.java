package org.passerelle.gateway.im;

/**
 * How long messages take to cross the gateway, for observers (metrics). Called on the link's event
 * loop and on SIP threads: an implementation must be quick, must not block, and should not
 * allocate.
 */
public interface ImEvents {
  ImEvents NONE = (direction, delivered, nanos) -> {};

  /** Which way a message crosses (RFC 7572 §4 and §5). */
  enum Direction {
    XMPP_TO_SIP,
    SIP_TO_XMPP
  }

  /**
   * A message's fate is known, {@code nanos} after it reached the gateway: for XMPP → SIP when the
   * SIP side answered (or did not), for SIP → XMPP when the proxy took the stanza (or could not).
   *
   * @param delivered whether it went on (a 2xx from SIP; taken by the proxy)
   */
  void translated(Direction direction, boolean delivered, long nanos);
}
