package org.passerelle.gateway.sip;

import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.From;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.text.ParseException;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses a request that came on the gateway's own listener with JAIN-SIP's one-shot parser, as
 * leniently as JAIN-SIP's transports: a malformed optional header is left out, a malformed or
 * missing essential one (RFC 3261 §8.1.1) fails the request.
 */
final class RequestParser {

  private static final Logger log = LoggerFactory.getLogger(RequestParser.class);

  /** Headers without which a request cannot be answered or matched (RFC 3261 §8.1.1). */
  private static final Set<Class<?>> ESSENTIAL =
      Set.of(Via.class, From.class, To.class, CallID.class, CSeq.class);

  private static final ParseExceptionListener LENIENT =
      (exception, message, headerClass, header, text) -> {
        if (headerClass == null || ESSENTIAL.contains(headerClass)) {
          throw exception;
        }
        log.debug("ignoring a malformed header: {}", header);
      };

  private RequestParser() {}

  /**
   * The request in {@code bytes}, every header RFC 3261 §8.1.1 requires present.
   *
   * @throws ParseException if it is not a request JAIN-SIP can read, or lacks such a header
   */
  static SIPRequest parse(byte[] bytes) throws ParseException {
    SIPMessage message = new StringMsgParser().parseSIPMessage(bytes, true, false, LENIENT);
    if (!(message instanceof SIPRequest request)) {
      throw new ParseException("not a request", 0);
    }
    request.checkHeaders();
    return request;
  }
}
