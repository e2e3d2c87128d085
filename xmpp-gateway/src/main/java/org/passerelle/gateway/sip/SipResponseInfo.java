package org.passerelle.gateway.sip;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The final response to a request we sent: what the IM translation needs to report success or map a
 * failure (RFC 7247 §7.2).
 *
 * @param statusCode 200–699
 * @param reasonPhrase the reason phrase as received (may be empty)
 * @param callId the Call-ID of the request
 * @param contacts the Contact URIs of a 3xx response (redirection targets), otherwise empty
 * @param retryAfter the Retry-After of a 404, 413, 480, 486, 500, 503, 600 or 603, if given (RFC
 *     3261 §20.33)
 */
public record SipResponseInfo(
    int statusCode,
    String reasonPhrase,
    String callId,
    List<String> contacts,
    Optional<Duration> retryAfter) {

  public SipResponseInfo {
    if (statusCode < 200 || statusCode > 699) {
      throw new IllegalArgumentException("not a final status code: " + statusCode);
    }
    Objects.requireNonNull(reasonPhrase, "reasonPhrase");
    Objects.requireNonNull(callId, "callId");
    contacts = List.copyOf(contacts);
    Objects.requireNonNull(retryAfter, "retryAfter");
  }

  /**
   * Whether the request succeeded: 200 delivered, 202 accepted by a relay or store (RFC 3428 §7).
   */
  public boolean isSuccess() {
    return statusCode < 300;
  }
}
