package org.passerelle.testpeers.sip;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sip.header.CallIdHeader;
import javax.sip.message.Request;
import org.passerelle.testpeers.SipTransport;

/**
 * A request a {@link SipTestClient} received: a MESSAGE (RFC 3428), a NOTIFY (RFC 6665 §4.1.3) or
 * any other.
 *
 * @param method e.g. {@code MESSAGE}
 * @param requestUri the Request-URI as it arrived, e.g. {@code sip:someone@xmpp.test}
 * @param from the From URI, without display name or tag
 * @param to the To URI, without display name or tag
 * @param contentType the Content-Type as sent, e.g. {@code text/plain;charset=UTF-8}; "" if none
 * @param body the body, decoded with the Content-Type's charset (UTF-8 by default); "" if none
 * @param transport the transport it came over
 * @param headers every header value by lower-case full name, in order
 */
public record ReceivedRequest(
    String method,
    String requestUri,
    String from,
    String to,
    String callId,
    String contentType,
    String body,
    SipTransport transport,
    Map<String, List<String>> headers) {

  public ReceivedRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(body, "body");
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  static ReceivedRequest of(Request request) {
    return new ReceivedRequest(
        request.getMethod(),
        request.getRequestURI().toString(),
        ReceivedRequests.fromUri(request),
        ReceivedRequests.toUri(request),
        ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId(),
        ReceivedRequests.contentType(request),
        ReceivedRequests.body(request),
        ReceivedRequests.transport(request),
        ReceivedRequests.headers(request));
  }

  /** The first value of header {@code name} (full name, any case), if any. */
  public Optional<String> header(String name) {
    return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of()).stream().findFirst();
  }

  /** Every value of header {@code name} (full name, any case), in order. */
  public List<String> headerValues(String name) {
    return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
  }

  /** The Subject header (RFC 3261 §20.36), if any. */
  public Optional<String> subject() {
    return header("subject");
  }

  /** The Event header (RFC 6665 §8.2.1), e.g. {@code presence}; "" if none. */
  public String event() {
    return header("event").orElse("");
  }

  /**
   * The Subscription-State of a NOTIFY (RFC 6665 §8.2.3) without its parameters: {@code active},
   * {@code pending} or {@code terminated}; "" if none.
   */
  public String subscriptionState() {
    String value = header("subscription-state").orElse("");
    int semicolon = value.indexOf(';');
    return (semicolon < 0 ? value : value.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return method
        + " "
        + requestUri
        + " from "
        + from
        + " to "
        + to
        + " over "
        + transport
        + ", Call-ID "
        + callId
        + header("subscription-state").map(state -> ", Subscription-State " + state).orElse("")
        + (body.isEmpty()
            ? ", no body"
            : ", "
                + contentType
                + ", "
                + body.length()
                + " chars: \""
                + ReceivedRequests.excerpt(body)
                + "\"");
  }
}
