package org.passerelle.gateway.im;

import java.util.Objects;
import org.passerelle.gateway.sip.IncomingMessage;
import org.passerelle.gateway.sip.OutgoingMessage;
import org.passerelle.model.address.SipUri;

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
 * @param uris the three addresses parsed, their text being {@code requestUri}, {@code from} and
 *     {@code to}; or null. Given by {@link MessageMapper#toSip} so that the SIP side builds its
 *     request from them instead of parsing the text again
 */
public record SipIm(
    String requestUri,
    String from,
    String to,
    String callId,
    String subject,
    String contentLanguage,
    String body,
    Uris uris) {

  /** The addresses of a {@link SipIm}, parsed. */
  public record Uris(SipUri requestUri, SipUri from, SipUri to) {
    public Uris {
      Objects.requireNonNull(requestUri, "requestUri");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }
  }

  public SipIm {
    Objects.requireNonNull(requestUri, "requestUri");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(body, "body");
  }

  /** A message whose addresses are known as text only. */
  public SipIm(
      String requestUri,
      String from,
      String to,
      String callId,
      String subject,
      String contentLanguage,
      String body) {
    this(requestUri, from, to, callId, subject, contentLanguage, body, null);
  }

  /** A MESSAGE the SIP endpoint received, as the bridge reads it. */
  public static SipIm of(IncomingMessage incoming) {
    return new SipIm(
        incoming.requestUri(),
        incoming.from(),
        incoming.to(),
        incoming.callId(),
        incoming.subject().orElse(null),
        incoming.contentLanguage().orElse(null),
        incoming.body());
  }

  /**
   * The MESSAGE for the SIP endpoint to send. Addresses mapped from JIDs come parsed, and the
   * endpoint builds its request from their parts.
   */
  public OutgoingMessage toOutgoing() {
    OutgoingMessage.Builder message =
        uris != null
            ? OutgoingMessage.builder(uris.requestUri(), uris.from(), body).to(uris.to())
            : OutgoingMessage.builder(requestUri, from, body).to(to);
    if (callId != null && OutgoingMessage.isValidCallId(callId)) {
      message.callId(callId);
    }
    if (subject != null) {
      message.subject(subject);
    }
    if (contentLanguage != null) {
      message.contentLanguage(contentLanguage);
    }
    return message.build();
  }
}
