package org.passerelle.gateway.sip;

import java.text.ParseException;
import java.util.Optional;
import javax.sip.message.Request;

/**
 * A request received, as admission and dispatch read it: either JAIN-SIP's parsed {@link Request}
 * ({@link ParsedRequest}) or a MESSAGE read from its own bytes ({@link RawMessage}, decision 21),
 * which is parsed by JAIN-SIP only if a response needs more than the request's own lines.
 */
interface ReceivedRequest {

  /** The method, e.g. {@code MESSAGE}. */
  String method();

  /** The Request-URI's host, lower case; empty when the Request-URI is not a SIP or SIPS URI. */
  Optional<String> sipHost();

  /** The body's length in bytes, 0 when there is none. */
  int bodyLength();

  /** The host of the From URI, when it is a SIP or SIPS URI. */
  Optional<String> fromHost();

  /** The From URI as text, for logs. */
  String fromUri();

  /** The Call-ID. */
  String callId();

  /** What a MESSAGE carries (RFC 3428), for {@link IncomingMessage}. */
  MessageFields messageFields();

  /**
   * JAIN-SIP's model of the request, parsed on first use.
   *
   * @throws ParseException if JAIN-SIP cannot read the request
   */
  Request parsed() throws ParseException;

  /**
   * The parts of a MESSAGE the endpoint hands on.
   *
   * @param requestUri the Request-URI
   * @param from the From URI
   * @param to the To URI
   * @param callId the Call-ID
   * @param mediaType the Content-Type's type and subtype, lower case; empty without Content-Type
   * @param charset the Content-Type's {@code charset} parameter, if any
   * @param body the body, empty when there is none
   * @param subject the Subject, if any
   * @param contentLanguage the first Content-Language tag, if any
   */
  record MessageFields(
      String requestUri,
      String from,
      String to,
      String callId,
      String mediaType,
      Optional<String> charset,
      byte[] body,
      Optional<String> subject,
      Optional<String> contentLanguage) {}
}
