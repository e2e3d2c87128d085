package org.passerelle.gateway.im;

import java.util.concurrent.CompletionStage;

/** Sends SIP MESSAGE requests (RFC 3428); implemented by the SIP adapter. */
@FunctionalInterface
public interface SipMessaging {
  /**
   * Sends a MESSAGE without blocking; the stage completes with the final response, or fails when no
   * final response came (timeout, transport failure). What waits for SIP is bounded by the caller
   * ({@code im.sip-in-flight}).
   */
  CompletionStage<SipOutcome> send(SipIm message);

  /** A final SIP response. */
  record SipOutcome(int status, String reason) {
    public boolean isSuccess() {
      return status >= 200 && status < 300;
    }
  }
}
