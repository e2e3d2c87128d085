package org.passerelle.gateway.im;

import java.util.Objects;

/**
 * The parts of a SIP MESSAGE that RFC 7572 maps, independent of the SIP stack.
 *
 * @param requestUri where the MESSAGE goes (the recipient)
 * @param from the sender's URI
 * @param to the recipient's URI as it appears in To
 * @param callId the Call-ID, mapped to and from {@code <thread/>} (RFC 7572 §4, §5); may be null
 * @param subject the Subject header, or null
 * @param contentLanguage the Content-Language header, or null
 * @param body the text/plain body, UTF-8
 */
public record SipIm(
    String requestUri,
    String from,
    String to,
    String callId,
    String subject,
    String contentLanguage,
    String body) {
  public SipIm {
    Objects.requireNonNull(requestUri, "requestUri");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(body, "body");
  }
}
