package org.passerelle.gateway.sip;

import java.util.Objects;

/**
 * A request got no final response: it was refused before sending, could not be sent, or nothing
 * answered in time. A final response, even 4xx–6xx, is not an exception but a {@link
 * SipResponseInfo}.
 */
public final class SipSendException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Why no response came. */
  public enum Reason {
    /**
     * Nothing was sent: the body exceeds {@link SipSettings#maxBodyBytes()}, or the request is over
     * 1300 bytes and no congestion-controlled transport is enabled (RFC 3261 §18.1.1).
     */
    TOO_LARGE,
    /** Nothing was sent: an address is not a valid SIP URI. */
    INVALID_ADDRESS,
    /**
     * Nothing was sent: the next hop could not be located (RFC 3263) or needs a disabled transport.
     */
    NO_ROUTE,
    /** The request could not be sent or its connection failed (RFC 3261 §8.1.3.1). */
    TRANSPORT,
    /** No final response within Timer F, 64 × T1 (RFC 3261 §17.1.2.2). */
    TIMEOUT,
    /** The endpoint was closed before a response came. */
    CLOSED,
    /** Nothing was sent: the subscription named does not exist (any more). */
    NO_SUBSCRIPTION
  }

  private final Reason reason;

  public SipSendException(Reason reason, String message) {
    super(Objects.requireNonNull(reason, "reason") + ": " + Objects.requireNonNull(message));
    this.reason = reason;
  }

  public SipSendException(Reason reason, String message, Throwable cause) {
    super(Objects.requireNonNull(reason, "reason") + ": " + Objects.requireNonNull(message), cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
