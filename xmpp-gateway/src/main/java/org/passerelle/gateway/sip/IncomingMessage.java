package org.passerelle.gateway.sip;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A MESSAGE request received outside a dialog (RFC 3428), read from its bytes ({@code RawMessage},
 * decision 21) or from the request JAIN-SIP parsed. Answer it through the {@link SipResponder}
 * handed over with it.
 *
 * @param requestUri the Request-URI
 * @param from the From URI (with any {@code gr} parameter: RFC 7572 §5 maps it to the resource)
 * @param to the To URI
 * @param callId the Call-ID (RFC 7572 maps it to {@code <thread/>})
 * @param contentType the media type, lower case, without parameters, e.g. {@code text/plain}
 * @param body the body decoded with the Content-Type's charset (UTF-8 if none)
 * @param subject the Subject header, if any
 * @param contentLanguage the first Content-Language tag, if any (RFC 7572 §8: {@code xml:lang})
 * @param source where the request came from (the previous hop, usually the SIP server)
 * @param transport the transport it came over
 */
public record IncomingMessage(
    String requestUri,
    String from,
    String to,
    String callId,
    String contentType,
    String body,
    Optional<String> subject,
    Optional<String> contentLanguage,
    InetSocketAddress source,
    SipTransport transport) {

  public IncomingMessage {
    Objects.requireNonNull(requestUri, "requestUri");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(contentLanguage, "contentLanguage");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(transport, "transport");
  }

  /** The message in {@code fields}, its body decoded as {@code body}. */
  static IncomingMessage of(
      ReceivedRequest.MessageFields fields,
      String body,
      InetSocketAddress source,
      SipTransport transport) {
    return new IncomingMessage(
        fields.requestUri(),
        fields.from(),
        fields.to(),
        fields.callId(),
        fields.mediaType(),
        body,
        fields.subject(),
        fields.contentLanguage(),
        source,
        transport);
  }

  /** Leaves body and subject out: they are user content. */
  @Override
  public String toString() {
    return "IncomingMessage["
        + requestUri
        + " from "
        + from
        + ", Call-ID "
        + callId
        + ", "
        + contentType
        + ", "
        + body.length()
        + " chars, via "
        + transport
        + " "
        + source
        + "]";
  }
}
