package org.passerelle.testpeers.sip;

import javax.sip.message.Response;

/**
 * The final response to a request (RFC 3261 §7.2), or what the client concluded without one: 408
 * after a timeout and 503 after a transport error (§8.1.3.1), with a reason saying so.
 */
public record SipStatus(int code, String reason) {

  static SipStatus of(Response response) {
    return new SipStatus(response.getStatusCode(), response.getReasonPhrase());
  }

  /** 2xx. */
  public boolean isSuccess() {
    return code >= 200 && code < 300;
  }

  @Override
  public String toString() {
    return code + " " + reason;
  }
}
