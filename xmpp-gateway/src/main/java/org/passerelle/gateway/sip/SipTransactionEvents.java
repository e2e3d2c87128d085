package org.passerelle.gateway.sip;

/**
 * How SIP transactions end, for observers (metrics). Called on JAIN-SIP's threads and the
 * application's: an implementation must be quick, must not block, and should not allocate.
 */
public interface SipTransactionEvents {
  SipTransactionEvents NONE = new SipTransactionEvents() {};

  /** Which side of the transaction the gateway is on (RFC 3261 §17). */
  enum Role {
    /** The gateway sent the request. */
    CLIENT,
    /** The gateway received the request and answered it. */
    SERVER
  }

  /** A transaction ended with a final response of {@code status} (200–699). */
  default void answered(Role role, String method, int status) {}

  /** A request the gateway sent got no final response (timeout, transport, closed endpoint). */
  default void failed(String method, SipSendException.Reason reason) {}
}
