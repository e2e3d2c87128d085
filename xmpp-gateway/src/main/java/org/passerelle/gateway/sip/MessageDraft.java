package org.passerelle.gateway.sip;

import gov.nist.javax.sip.message.SIPMessage;
import java.text.ParseException;
import java.util.Optional;
import javax.sip.address.SipURI;
import javax.sip.message.Request;
import org.passerelle.model.address.SipUri;

/**
 * A MESSAGE outside a dialog (RFC 3428 §4) with everything fixed but its transport: the Call-ID,
 * CSeq and From tag are drawn once, so each form it takes is the same request. Over TCP and TLS a
 * message whose addresses came parsed is written straight to its bytes ({@link MessageWriter},
 * decision 25); over UDP, which needs JAIN-SIP's retransmissions, and for addresses given as text,
 * JAIN-SIP builds and encodes it ({@link MessageRequests#request}).
 */
final class MessageDraft {

  private final MessageRequests requests;
  private final OutgoingMessage message;
  private final byte[] body;
  private final String callId;
  private final long cseq;
  private final String tag;
  private Request request;

  /**
   * @param body the body, already encoded as UTF-8
   * @throws ParseException if the addresses came as text and one is not a valid SIP URI
   */
  MessageDraft(
      MessageRequests requests,
      OutgoingMessage message,
      byte[] body,
      String callId,
      long cseq,
      String tag)
      throws ParseException {
    this.requests = requests;
    this.message = message;
    this.body = body;
    this.callId = callId;
    this.cseq = cseq;
    this.tag = tag;
    if (parsed().isEmpty()) {
      // Text is parsed by JAIN-SIP, now: a bad address is the caller's error, not a send failure.
      this.request = requests.request(this);
    }
  }

  OutgoingMessage message() {
    return message;
  }

  byte[] body() {
    return body;
  }

  String callId() {
    return callId;
  }

  long cseq() {
    return cseq;
  }

  String tag() {
    return tag;
  }

  /** Our address in the Via, as given to JAIN-SIP. */
  String viaHost() {
    return requests.viaHost();
  }

  private Optional<OutgoingMessage.Uris> parsed() {
    return message.uris();
  }

  /** JAIN-SIP's request, built on first use; its Via names UDP on port 1 until {@code setVia}. */
  Request request() throws ParseException {
    if (request == null) {
      request = requests.request(this);
    }
    return request;
  }

  /**
   * Where the Request-URI points (RFC 3263 §4).
   *
   * @throws IllegalArgumentException if it names a transport the gateway does not have
   */
  SipServerAddress server() {
    return parsed().isPresent()
        ? MessageRequests.serverOf(parsed().get().requestUri())
        : MessageRequests.serverOf((SipURI) request.getRequestURI());
  }

  /** Whether the Request-URI is {@code sips:}, which allows TLS only. */
  boolean secure() {
    return parsed().isPresent()
        ? parsed().get().requestUri().scheme() == SipUri.Scheme.SIPS
        : ((SipURI) request.getRequestURI()).isSecure();
  }

  /** The request's bytes for {@code transport}, with our {@code port} and {@code branch} in Via. */
  byte[] bytes(SipTransport transport, int port, String branch) throws ParseException {
    if (parsed().isPresent()) {
      return MessageWriter.write(this, transport, port, branch);
    }
    MessageRequests.setVia(request, transport, port, branch);
    return ((SIPMessage) request).encodeAsBytes(transport.token());
  }

  /**
   * The request's exact size as it stands, before a transport, port and branch are chosen: what RFC
   * 3261 §18.1.1 compares with the UDP limit.
   */
  int size() {
    if (parsed().isPresent()) {
      return MessageWriter.write(this, SipTransport.UDP, 1, null).length;
    }
    return ((SIPMessage) request).encodeAsBytes(SipTransport.UDP.token()).length;
  }

  @Override
  public String toString() {
    return "MESSAGE " + callId + " " + message;
  }
}
