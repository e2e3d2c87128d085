package org.passerelle.gateway.sip;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.text.ParseException;
import java.util.List;
import java.util.Optional;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.passerelle.gateway.sip.stream.SipHead;
import org.passerelle.gateway.sip.stream.SipStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what comes back on the gateway's own SIP streams with JAIN-SIP's message model where the
 * stream's head is not enough: a 2xx is read from its head alone, any other final response is
 * parsed in full (for its Contacts and Retry-After), and a request, which has no business on these
 * connections, is answered 503.
 */
final class StreamResponses implements SipStreams.Responses {

  private static final Logger log = LoggerFactory.getLogger(StreamResponses.class);

  private final MessageRequests requests;

  StreamResponses(MessageRequests requests) {
    this.requests = requests;
  }

  @Override
  public SipResponseInfo read(SipHead head, byte[] bytes) {
    if (bytes != null) {
      try {
        if (parse(bytes) instanceof Response response) {
          return ClientTransactions.info(response);
        }
      } catch (ParseException | RuntimeException e) {
        log.debug("a {} response only read as far as its head: {}", head.status(), e.toString());
      }
    }
    return new SipResponseInfo(
        head.status(), head.reason(), head.callId().orElse(""), List.of(), Optional.empty());
  }

  /** The whole message, by JAIN-SIP's one-shot parser (not its per-connection pipeline). */
  private static SIPMessage parse(byte[] bytes) throws ParseException {
    return new StringMsgParser().parseSIPMessage(bytes, true, false, null);
  }

  /**
   * Requests reach the gateway at its listening ports, where its own listener or JAIN-SIP serves
   * them; a next hop that sends one on a connection the gateway opened gets 503 (RFC 3261 §21.5.4)
   * and a warning in the log. An ACK is never answered (§17.1.1.3).
   */
  @Override
  public byte[] answerRequest(String connection, byte[] bytes) {
    Request request;
    try {
      if (!(parse(bytes) instanceof Request r)) {
        return null;
      }
      request = r;
    } catch (ParseException e) {
      log.warn(
          "an unreadable request on the SIP stream to {}, ignored: {}", connection, e.getMessage());
      return null;
    }
    log.warn(
        "a {} came on the SIP stream to {}, which the gateway opened for its own requests;"
            + " answered 503: requests go to the gateway's listening points",
        request.getMethod(),
        connection);
    if (Request.ACK.equals(request.getMethod())) {
      return null;
    }
    try {
      return ((SIPResponse)
              requests.response(request, Response.SERVICE_UNAVAILABLE, "Use the listening point"))
          .encodeAsBytes("tcp");
    } catch (ParseException e) {
      return null;
    }
  }
}
