package org.passerelle.gateway.sip;

import gov.nist.javax.sip.header.ContentLanguage;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import javax.sip.InvalidArgumentException;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.AcceptHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.EventHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Builds the SUBSCRIBE and NOTIFY requests of subscription dialogs (RFC 6665 §8.1) and reads the
 * headers they and their responses carry. Requests inside a dialog are built from its {@link
 * EventDialog} as RFC 3261 §12.2.1.1 says, strict routers included.
 */
final class EventRequests {

  private final AddressFactory addresses;
  private final HeaderFactory headers;
  private final MessageRequests factory;
  private final SipSettings settings;
  private final String host;

  EventRequests(MessageRequests factory, SipSettings settings) {
    this.factory = factory;
    this.addresses = factory.addresses();
    this.headers = factory.headers();
    this.settings = settings;
    String address = settings.bindAddress().getHostAddress();
    this.host = address.indexOf(':') >= 0 ? "[" + address + "]" : address;
  }

  /**
   * An initial SUBSCRIBE (RFC 6665 §4.1.2.1) to the dialog's remote URI: no To tag, CSeq as the
   * dialog has it, a provisional Contact until {@link #setContact} names the transport.
   */
  Request initialSubscribe(EventDialog dialog, Duration expires) throws ParseException {
    URI requestUri = sipUri(dialog.remoteUri());
    Request request =
        create(Request.SUBSCRIBE, requestUri, dialog, dialog.localCseq(), Optional.empty());
    addSubscribeHeaders(request, dialog, expires);
    return request;
  }

  /** A SUBSCRIBE in the dialog: a refresh, or with zero an unsubscribe (RFC 6665 §4.1.2.2-3). */
  Request subscribe(EventDialog dialog, Duration expires) throws ParseException {
    Request request = inDialog(Request.SUBSCRIBE, dialog);
    addSubscribeHeaders(request, dialog, expires);
    return request;
  }

  /**
   * A NOTIFY in the dialog (RFC 6665 §4.2.2), with {@code expires} (whole seconds left) on {@code
   * pending} and {@code active}.
   */
  Request notify(EventDialog dialog, OutgoingNotification notification, long expires)
      throws ParseException {
    Request request = inDialog(Request.NOTIFY, dialog);
    request.addHeader(headers.createEventHeader(dialog.event()));
    SubscriptionStateHeader state =
        headers.createSubscriptionStateHeader(notification.state().token());
    try {
      if (notification.state() != SubscriptionState.TERMINATED) {
        state.setExpires((int) Math.min(Integer.MAX_VALUE, Math.max(0, expires)));
      }
      if (notification.reason().isPresent()) {
        state.setReasonCode(notification.reason().get().token());
      }
      if (notification.retryAfter().isPresent()) {
        state.setRetryAfter((int) notification.retryAfter().get().toSeconds());
      }
    } catch (InvalidArgumentException e) {
      throw new IllegalArgumentException("bad Subscription-State parameter", e);
    }
    request.addHeader(state);
    request.addHeader(contact(provisionalTransport()));
    if (notification.hasBody()) {
      String type = notification.contentType();
      int slash = type.indexOf('/');
      ContentTypeHeader contentType =
          headers.createContentTypeHeader(type.substring(0, slash), type.substring(slash + 1));
      if (type.regionMatches(true, 0, "text/", 0, 5)) {
        contentType.setParameter("charset", "UTF-8");
      }
      request.setContent(notification.body().getBytes(StandardCharsets.UTF_8), contentType);
    }
    if (notification.contentLanguage().isPresent()) {
      // The API's Locale-based setter would write "en_GB"; NIST's class keeps the tag as is.
      request.addHeader(new ContentLanguage(notification.contentLanguage().get()));
    }
    return request;
  }

  /**
   * Our Contact for the transport a message goes over (RFC 3261 §8.1.1.8): our address and port,
   * and the transport unless UDP, so that the peer's requests in the dialog come back that way.
   */
  void setContact(Message message, SipTransport transport) throws ParseException {
    message.setHeader(contact(transport));
  }

  /** What a 2xx to a SUBSCRIBE adds (RFC 6665 §4.2.1.1): our tag, Expires and Contact. */
  ServerResponder.Extra subscribeOk(String localTag, Duration expires, SipTransport transport) {
    return response -> {
      ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(localTag);
      response.setHeader(expiresHeader(expires));
      setContact(response, transport);
    };
  }

  /** What a 489 adds: the packages we do support (RFC 6665 §8.3.2). */
  ServerResponder.Extra allowEvents(String event) {
    return response -> response.setHeader(headers.createAllowEventsHeader(event));
  }

  /**
   * Where a request goes next (RFC 3261 §8.1.2, §12.2.1.1): the first Route if any, else its
   * Request-URI; with whether that URI is {@code sips:}.
   */
  static SipServerAddress nextHop(Request request) {
    javax.sip.header.RouteHeader route =
        (javax.sip.header.RouteHeader) request.getHeader(javax.sip.header.RouteHeader.NAME);
    SipURI uri = (SipURI) (route != null ? route.getAddress().getURI() : request.getRequestURI());
    return MessageRequests.serverOf(uri);
  }

  /** Whether the URI naming the next hop ({@link #nextHop}) is {@code sips:}. */
  static boolean nextHopSecure(Request request) {
    javax.sip.header.RouteHeader route =
        (javax.sip.header.RouteHeader) request.getHeader(javax.sip.header.RouteHeader.NAME);
    URI uri = route != null ? route.getAddress().getURI() : request.getRequestURI();
    return ((SipURI) uri).isSecure();
  }

  // ---- reading ----

  /** The Event header, if any (RFC 6665 §8.2.1). */
  static Optional<EventHeader> event(Message message) {
    return Optional.ofNullable((EventHeader) message.getHeader(EventHeader.NAME));
  }

  /** How many Event headers there are: RFC 6665 §8.2.1 allows exactly one. */
  static int eventCount(Message message) {
    int n = 0;
    for (ListIterator<?> it = message.getHeaders(EventHeader.NAME); it.hasNext(); it.next()) {
      n++;
    }
    return n;
  }

  static Optional<SubscriptionStateHeader> subscriptionState(Message message) {
    return Optional.ofNullable(
        (SubscriptionStateHeader) message.getHeader(SubscriptionStateHeader.NAME));
  }

  /** The first Contact's URI, if any. */
  static Optional<String> contactUri(Message message) {
    ContactHeader contact = (ContactHeader) message.getHeader(ContactHeader.NAME);
    if (contact == null || contact.getAddress() == null || contact.getAddress().getURI() == null) {
      return Optional.empty();
    }
    URI uri = contact.getAddress().getURI();
    return uri.isSipURI() ? Optional.of(uri.toString()) : Optional.empty();
  }

  /** The Record-Route URIs, in the order of the message. */
  static List<String> recordRoute(Message message) {
    List<String> routes = new ArrayList<>();
    for (ListIterator<?> it = message.getHeaders(RecordRouteHeader.NAME); it.hasNext(); ) {
      Address address = ((RecordRouteHeader) it.next()).getAddress();
      routes.add(address.getURI().toString());
    }
    return routes;
  }

  /** The Expires header in seconds, if any. */
  static OptionalInt expires(Message message) {
    ExpiresHeader expires = (ExpiresHeader) message.getHeader(ExpiresHeader.NAME);
    return expires == null ? OptionalInt.empty() : OptionalInt.of(expires.getExpires());
  }

  static long cseq(Message message) {
    return ((CSeqHeader) message.getHeader(CSeqHeader.NAME)).getSeqNumber();
  }

  static Optional<String> fromTag(Message message) {
    return Optional.ofNullable(((FromHeader) message.getHeader(FromHeader.NAME)).getTag());
  }

  static Optional<String> toTag(Message message) {
    return Optional.ofNullable(((ToHeader) message.getHeader(ToHeader.NAME)).getTag());
  }

  static String fromUri(Message message) {
    return ((FromHeader) message.getHeader(FromHeader.NAME)).getAddress().getURI().toString();
  }

  static String toUri(Message message) {
    return ((ToHeader) message.getHeader(ToHeader.NAME)).getAddress().getURI().toString();
  }

  /** The media types of the Accept headers, lower case, without parameters. */
  static List<String> acceptTypes(Message message) {
    List<String> types = new ArrayList<>();
    for (ListIterator<?> it = message.getHeaders(AcceptHeader.NAME); it.hasNext(); ) {
      AcceptHeader accept = (AcceptHeader) it.next();
      if (accept.getContentType() != null && accept.getContentSubType() != null) {
        types.add(
            (accept.getContentType() + "/" + accept.getContentSubType()).toLowerCase(Locale.ROOT));
      }
    }
    return types;
  }

  /** Whether a list of Accept types admits {@code type} (wildcards included, RFC 3261 §20.1). */
  static boolean admits(List<String> accepted, String type) {
    String major = type.substring(0, type.indexOf('/'));
    for (String candidate : accepted) {
      if (candidate.equals(type) || candidate.equals("*/*") || candidate.equals(major + "/*")) {
        return true;
      }
    }
    return false;
  }

  // ---- building ----

  private void addSubscribeHeaders(Request request, EventDialog dialog, Duration expires)
      throws ParseException {
    request.addHeader(headers.createEventHeader(dialog.event()));
    for (String type : dialog.accept()) {
      int slash = type.indexOf('/');
      request.addHeader(
          headers.createAcceptHeader(type.substring(0, slash), type.substring(slash + 1)));
    }
    request.addHeader(expiresHeader(expires));
    request.addHeader(contact(provisionalTransport()));
  }

  /**
   * A request in the dialog (RFC 3261 §12.2.1.1): to the remote target through the route set, or,
   * if the first route is a strict router (no {@code lr}), to that router with the remote target as
   * the last route.
   */
  private Request inDialog(String method, EventDialog dialog) throws ParseException {
    String target =
        dialog
            .remoteTarget()
            .orElseThrow(() -> new IllegalStateException("dialog not established: " + dialog.id()));
    List<String> routes = dialog.routeSet();
    URI requestUri;
    List<String> routeHeaders;
    if (!routes.isEmpty() && !((SipURI) sipUri(routes.get(0))).hasLrParam()) {
      requestUri = sipUri(routes.get(0));
      routeHeaders = new ArrayList<>(routes.subList(1, routes.size()));
      routeHeaders.add(target);
    } else {
      requestUri = sipUri(target);
      routeHeaders = routes;
    }
    Request request = create(method, requestUri, dialog, dialog.nextCseq(), dialog.remoteTag());
    for (String route : routeHeaders) {
      request.addHeader(headers.createRouteHeader(addresses.createAddress(sipUri(route))));
    }
    return request;
  }

  private Request create(
      String method, URI requestUri, EventDialog dialog, long cseq, Optional<String> remoteTag)
      throws ParseException {
    try {
      List<ViaHeader> via = new ArrayList<>(1);
      via.add(headers.createViaHeader(host, 1, SipTransport.UDP.token(), null));
      return factory
          .messages()
          .createRequest(
              requestUri,
              method,
              headers.createCallIdHeader(dialog.callId()),
              headers.createCSeqHeader(cseq, method),
              headers.createFromHeader(
                  addresses.createAddress(sipUri(dialog.localUri())), dialog.localTag()),
              headers.createToHeader(
                  addresses.createAddress(sipUri(dialog.remoteUri())), remoteTag.orElse(null)),
              via,
              headers.createMaxForwardsHeader(MessageRequests.MAX_FORWARDS));
    } catch (InvalidArgumentException e) {
      throw new IllegalStateException("header value refused: " + e.getMessage(), e);
    }
  }

  private ContactHeader contact(SipTransport transport) throws ParseException {
    SipURI uri = addresses.createSipURI(null, host);
    Integer port = settings.ports().get(transport);
    if (port == null) {
      throw new IllegalArgumentException(transport + " is not enabled");
    }
    uri.setPort(port);
    if (transport != SipTransport.UDP) {
      uri.setTransportParam(transport.token());
    }
    return headers.createContactHeader(addresses.createAddress(uri));
  }

  /**
   * The transport of the Contact a request carries until {@link #setContact} names the one chosen:
   * any enabled one (the first, UDP when it is on), so that the size check sees a Contact.
   */
  private SipTransport provisionalTransport() {
    return settings.ports().keySet().iterator().next();
  }

  private ExpiresHeader expiresHeader(Duration expires) {
    try {
      return headers.createExpiresHeader((int) Math.min(Integer.MAX_VALUE, expires.toSeconds()));
    } catch (InvalidArgumentException e) {
      throw new IllegalArgumentException("bad expiry " + expires, e);
    }
  }

  private URI sipUri(String text) throws ParseException {
    URI uri = addresses.createURI(text);
    if (!uri.isSipURI()) {
      throw new ParseException("not a SIP URI: " + text, 0);
    }
    return uri;
  }

  /** Response codes after which a subscription's dialog is gone (RFC 6665 §4.1.2.2). */
  static boolean endsDialog(int status) {
    return status == 404
        || status == 405
        || status == 410
        || status == 416
        || (status >= 480 && status <= 485)
        || status == 489
        || status == 501
        || status == 604;
  }

  /** Whether a response is final and a success; 202 counts as 200 (RFC 6665 §8.3.1). */
  static boolean isSuccess(Response response) {
    return response.getStatusCode() >= 200 && response.getStatusCode() < 300;
  }
}
