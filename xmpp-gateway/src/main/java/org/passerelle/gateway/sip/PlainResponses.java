package org.passerelle.gateway.sip;

import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.nio.charset.StandardCharsets;
import javax.sip.header.TimeStampHeader;

/**
 * A final response with nothing but the headers every response copies from its request (RFC 3261
 * §8.2.6.2: Via, From, To, Call-ID, CSeq), encoded straight from the request's parsed headers. It
 * is what JAIN-SIP's {@code createResponse} followed by encoding writes, without its deep copy of
 * those headers, which cost a tenth of the gateway's CPU per SIP→XMPP message (decision 17). For
 * the gateway's own listener, which sends responses as bytes.
 */
final class PlainResponses {

  private PlainResponses() {}

  /**
   * Whether {@link #encode} writes all a response to {@code request} needs: not when the request
   * has a Timestamp, which the response must echo (§8.2.6.1).
   */
  static boolean suit(SIPRequest request) {
    return request.getHeader(TimeStampHeader.NAME) == null;
  }

  /**
   * The response's bytes; its To gets {@code toTag} when the request's To has no tag.
   *
   * @param reasonPhrase the reason phrase; empty for the standard one
   */
  static byte[] encode(SIPRequest request, int statusCode, String reasonPhrase, String toTag) {
    String reason =
        reasonPhrase.isEmpty()
            ? SIPResponse.getReasonPhrase(statusCode)
            : reasonPhrase.replaceAll("[\\r\\n]+", " ");
    StringBuilder out = new StringBuilder(512);
    out.append("SIP/2.0 ").append(statusCode).append(' ').append(reason).append("\r\n");
    request.getViaHeaders().encode(out);
    ((SIPHeader) request.getFrom()).encode(out);
    String to = ((SIPHeader) request.getTo()).encode();
    if (request.getToTag() == null) {
      // "To: <uri>\r\n" becomes "To: <uri>;tag=…\r\n"
      out.append(to, 0, to.length() - 2).append(";tag=").append(toTag).append("\r\n");
    } else {
      out.append(to);
    }
    ((SIPHeader) request.getCallId()).encode(out);
    ((SIPHeader) request.getCSeq()).encode(out);
    out.append("Content-Length: 0\r\n\r\n");
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }
}
