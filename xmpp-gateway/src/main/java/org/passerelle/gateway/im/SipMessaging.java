package org.passerelle.gateway.im;

import java.util.concurrent.CompletionStage;

/** Sends SIP MESSAGE requests (RFC 3428); implemented by the SIP adapter. */
@FunctionalInterface
public interface SipMessaging {
  /**
   * Sends a MESSAGE; the stage completes with the final response, or fails when no final response
   * came (timeout, transport failure), or at once with {@link
   * java.util.concurrent.RejectedExecutionException} when too many messages already wait to be
   * sent.
   */
  CompletionStage<SipOutcome> send(SipIm message);

  /** A final SIP response. */
  record SipOutcome(int status, String reason) {
    public boolean isSuccess() {
      return status >= 200 && status < 300;
    }
  }
}
