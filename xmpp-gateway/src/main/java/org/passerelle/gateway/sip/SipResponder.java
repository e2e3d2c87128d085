package org.passerelle.gateway.sip;

import java.time.Duration;

/**
 * Answers one received request with a final response, exactly once. Safe to call from any thread;
 * the request's server transaction keeps absorbing retransmissions until then.
 */
public interface SipResponder {

  /**
   * Sends the final response. No body and no Contact are added (RFC 3428 §7: a 2xx to MESSAGE
   * carries neither); a 415 gets the Accept header of the handler's media types (RFC 3261
   * §21.4.13).
   *
   * @param statusCode 200–699; for MESSAGE, 202 means "accepted by a gateway or relay" and 200
   *     "delivered" (RFC 3428 §7)
   * @param reasonPhrase the reason phrase; empty for the standard one
   * @throws IllegalArgumentException if the status code is not final
   * @throws IllegalStateException if the request was already answered
   */
  void respond(int statusCode, String reasonPhrase);

  /**
   * Answers 503 with a Retry-After (RFC 3261 §21.5.4, §20.33), so that the sender tries again later
   * rather than at once or never.
   *
   * @param retryAfter rounded up to whole seconds, at least one
   * @throws IllegalStateException if the request was already answered
   */
  void unavailable(String reasonPhrase, Duration retryAfter);

  /**
   * Whether answering may wait on the network, so that a caller on an event loop should answer from
   * another thread. Answers to requests that came to the gateway's own listener never wait.
   */
  default boolean blocks() {
    return true;
  }
}
