package org.passerelle.gateway.sip;

import gov.nist.javax.sip.RequestEventExt;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.text.ParseException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipProvider;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionUnavailableException;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers or dispatches every request, whether JAIN-SIP delivers it (UDP, and requests on
 * connections JAIN-SIP opened) or the endpoint's own listener does (TCP and TLS, decision 17):
 * first {@link SipAdmission} (rate per source, body size, local senders only from the SIP server),
 * whose refusals are answered without a transaction; then OPTIONS is answered here, MESSAGE goes to
 * the application's handler, SUBSCRIBE to the {@link Notifier} and NOTIFY to the {@link Subscriber}
 * when the application handles them, everything else is refused (RFC 3261 §8.2). Malformed requests
 * never get here: JAIN-SIP, or {@link StreamRequests}, answers them 400.
 */
final class InboundRequests {

  private static final Logger log = LoggerFactory.getLogger(InboundRequests.class);

  /**
   * Methods we recognise but do not serve, answered 405 (RFC 3261 §8.2.1); unknown ones get 501.
   * RFC 3261, 3262, 3311, 3428, 3515, 3903, 6086, 6665.
   */
  static final Set<String> KNOWN_METHODS =
      Set.of(
          "INVITE",
          "ACK",
          "BYE",
          "CANCEL",
          "REGISTER",
          "OPTIONS",
          "PRACK",
          "UPDATE",
          "MESSAGE",
          "REFER",
          "PUBLISH",
          "INFO",
          "SUBSCRIBE",
          "NOTIFY");

  private final SipSettings settings;
  private final SipHandlers handlers;
  private final MessageRequests factory;
  private final Set<String> localHosts;
  private final Subscriber subscriber;
  private final Notifier notifier;
  private final ServerRequests requests;
  private final SipTransactionEvents events;
  private final SipAdmission admission;

  InboundRequests(
      SipSettings settings,
      SipHandlers handlers,
      MessageRequests factory,
      Subscriber subscriber,
      Notifier notifier,
      ServerRequests requests,
      SipTransactionEvents events) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.handlers = Objects.requireNonNull(handlers, "handlers");
    this.factory = Objects.requireNonNull(factory, "factory");
    this.localHosts = Set.of(settings.bindAddress().getHostAddress());
    this.subscriber = Objects.requireNonNull(subscriber, "subscriber");
    this.notifier = Objects.requireNonNull(notifier, "notifier");
    this.requests = Objects.requireNonNull(requests, "requests");
    this.events = Objects.requireNonNull(events, "events");
    this.admission = new SipAdmission(settings);
  }

  /** A request JAIN-SIP delivers, answered in a server transaction where JAIN-SIP makes one. */
  void onRequest(RequestEvent event, SipTransport transport) {
    SipProvider provider = (SipProvider) event.getSource();
    dispatch(
        new ParsedRequest(event.getRequest()),
        source(event),
        transport,
        provider::sendResponse,
        () -> transactionRoute(event, provider));
  }

  /**
   * A request that came to the gateway's own listener (decision 17), answered on {@code route}, the
   * connection it came on. Over TCP and TLS a non-INVITE server transaction has nothing to do but
   * send its response (RFC 3261 §17.2.2: Timer J is zero), so none is kept.
   */
  void onStreamRequest(
      ReceivedRequest request,
      InetSocketAddress source,
      SipTransport transport,
      ServerResponder.Route route) {
    dispatch(request, source, transport, route, () -> Optional.of(route));
  }

  /**
   * Answers a request that will not be served (e.g. 503 when no thread can take it), on {@code
   * route}, with a Retry-After.
   */
  void answerStateless(
      ReceivedRequest request,
      ServerResponder.Route route,
      int status,
      String reasonPhrase,
      Duration retryAfter) {
    new ServerResponder(request, route, factory, handlers, requests, events)
        .respond(status, reasonPhrase, ServerResponder.retryAfter(factory, retryAfter));
  }

  /** The route of a request's server transaction, or none for a retransmission already served. */
  private static Optional<ServerResponder.Route> transactionRoute(
      RequestEvent event, SipProvider provider) {
    ServerTransaction tx = event.getServerTransaction();
    if (tx == null) {
      try {
        tx = provider.getNewServerTransaction(event.getRequest());
      } catch (TransactionAlreadyExistsException e) {
        return Optional.empty(); // a retransmission that overtook its original; its tx answers
      } catch (TransactionUnavailableException e) {
        // E.g. a SUBSCRIBE without Contact: JAIN-SIP refuses a transaction, we still answer.
        log.debug(
            "answering {} without a transaction: {}",
            event.getRequest().getMethod(),
            e.getMessage());
        return Optional.of(provider::sendResponse);
      }
    }
    return Optional.of(tx::sendResponse);
  }

  private void dispatch(
      ReceivedRequest request,
      InetSocketAddress source,
      SipTransport transport,
      ServerResponder.Route stateless,
      Supplier<Optional<ServerResponder.Route>> stateful) {
    String method = request.method();
    if (Request.ACK.equals(method)) {
      return; // never answered; ours would belong to an INVITE we refused, absorbed by its
      // transaction
    }
    Optional<SipAdmission.Refusal> refusal = admission.check(request, source.getAddress());
    if (refusal.isPresent()) {
      // Statelessly (RFC 3261 §8.2.7): a flood must not fill the stack with transactions, not
      // even while the endpoint drains, so admission comes before the 503 for a stopping gateway.
      refuse(
          new ServerResponder(request, stateless, factory, handlers, requests, events),
          refusal.get());
      return;
    }
    Optional<ServerResponder.Route> route = stateful.get();
    if (route.isEmpty()) {
      return;
    }
    ServerResponder responder =
        new ServerResponder(request, route.get(), factory, handlers, requests, events);
    if (!requests.taking()) {
      log.debug("answering {} 503: the gateway is stopping", method);
      requests.refuse(responder);
      return;
    }
    Optional<String> sipHost = request.sipHost();
    if (sipHost.isEmpty()) {
      responder.respond(Response.UNSUPPORTED_URI_SCHEME, ""); // RFC 3261 §8.2.2.1
      return;
    }
    String host = sipHost.get();
    if (!settings.servesDomain(host) && !localHosts.contains(host)) {
      responder.respond(Response.NOT_FOUND, "Domain not served here"); // RFC 3261 §21.4.5
      return;
    }
    switch (method) {
      case Request.OPTIONS -> responder.respond(Response.OK, "");
      case Request.MESSAGE -> {
        if (handlers.messageHandler().isPresent()) {
          onMessage(request, source, transport, responder);
        } else {
          responder.respond(Response.METHOD_NOT_ALLOWED, "");
        }
      }
      case Request.SUBSCRIBE -> {
        if (handlers.subscriptionHandler().isPresent()) {
          notifier.onSubscribe(parsed(request), responder, source, transport);
        } else {
          responder.respond(Response.METHOD_NOT_ALLOWED, "");
        }
      }
      case Request.NOTIFY -> {
        if (handlers.notificationListener().isPresent()) {
          subscriber.onNotify(parsed(request), responder);
        } else {
          responder.respond(Response.METHOD_NOT_ALLOWED, "");
        }
      }
      // No INVITE is ever ours, so no CANCEL matches one (RFC 3261 §9.2).
      case Request.CANCEL -> responder.respond(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, "");
      default ->
          responder.respond(
              KNOWN_METHODS.contains(method)
                  ? Response.METHOD_NOT_ALLOWED
                  : Response.NOT_IMPLEMENTED,
              "");
    }
  }

  private void refuse(ServerResponder responder, SipAdmission.Refusal refusal) {
    responder.respond(
        refusal.status(),
        refusal.reason(),
        refusal
            .retryAfter()
            .map(wait -> ServerResponder.retryAfter(factory, wait))
            .orElse(ServerResponder.Extra.NONE));
  }

  private static InetSocketAddress source(RequestEvent event) {
    RequestEventExt ext = (RequestEventExt) event;
    return new InetSocketAddress(ext.getRemoteIpAddress(), ext.getRemotePort());
  }

  /**
   * A SUBSCRIBE's or NOTIFY's JAIN-SIP model: these are always parsed by JAIN-SIP before they get
   * here, only a MESSAGE is read from its bytes ({@link RawMessage}).
   */
  private static Request parsed(ReceivedRequest request) {
    try {
      return request.parsed();
    } catch (ParseException e) {
      throw new IllegalStateException(request.method() + " not parsed by JAIN-SIP", e);
    }
  }

  private void onMessage(
      ReceivedRequest request,
      InetSocketAddress source,
      SipTransport transport,
      ServerResponder responder) {
    ReceivedRequest.MessageFields fields = request.messageFields();
    if (!handlers.messageMediaTypes().contains(fields.mediaType())) {
      responder.respond(Response.UNSUPPORTED_MEDIA_TYPE, "");
      return;
    }
    String body;
    try {
      body = decode(fields.body(), fields.charset().orElse(null));
    } catch (UnsupportedCharsetException | IllegalCharsetNameException e) {
      responder.respond(Response.UNSUPPORTED_MEDIA_TYPE, "Unsupported charset");
      return;
    } catch (CharacterCodingException e) {
      responder.respond(Response.BAD_REQUEST, "Body does not match its charset");
      return;
    }
    IncomingMessage message = IncomingMessage.of(fields, body, source, transport);
    log.debug("received {}", message);
    try {
      handlers.messageHandler().get().onMessage(message, responder);
    } catch (RuntimeException e) {
      log.error("MESSAGE handler failed on {}", message, e);
      if (!responder.answered()) {
        responder.respond(Response.SERVER_INTERNAL_ERROR, "");
      }
    }
  }

  /** Strict decoding: a body that is not valid in its charset is refused, not patched. */
  static String decode(byte[] bytes, String charsetName) throws CharacterCodingException {
    Charset charset = charsetName == null ? StandardCharsets.UTF_8 : Charset.forName(charsetName);
    return charset
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }
}
