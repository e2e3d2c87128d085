package org.passerelle.gateway.sip;

import java.text.ParseException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the one final response to a received request by the {@link Route} it came with: its
 * JAIN-SIP server transaction, JAIN-SIP statelessly (it refuses a transaction to some requests,
 * e.g. a SUBSCRIBE without Contact), or the connection of the gateway's own listener it arrived on
 * (decision 17). Adds Allow and Accept where RFC 3261 requires them.
 *
 * <p>A closing endpoint may answer a request itself ({@link #abandon}); the application's answer
 * that comes later is then dropped with a debug line.
 */
final class ServerResponder implements SipResponder {

  private static final Logger log = LoggerFactory.getLogger(ServerResponder.class);

  /** Adds headers to a response before it is sent. */
  @FunctionalInterface
  interface Extra {
    Extra NONE = response -> {};

    void addTo(Response response) throws ParseException;
  }

  /** How a response leaves. */
  @FunctionalInterface
  interface Route {
    void send(Response response) throws SipException, InvalidArgumentException;

    /**
     * Sends a response that carries nothing but the headers copied from the request (RFC 3261
     * §8.2.6.2), where the route writes those itself without a {@link Response} being built.
     *
     * @param reasonPhrase the reason phrase; empty for the standard one
     * @return whether it was sent; if not, the caller builds a {@link Response}
     */
    default boolean sendPlain(int statusCode, String reasonPhrase) {
      return false;
    }

    /**
     * Whether sending may wait on the network (JAIN-SIP writes to its sockets with blocking
     * writes), so that a caller on an event loop should send from another thread.
     */
    default boolean blocks() {
      return true;
    }
  }

  private final ReceivedRequest request;
  private final Route route;
  private final MessageRequests factory;
  private final SipHandlers handlers;
  private final ServerRequests requests;
  private final SipTransactionEvents events;
  private final AtomicBoolean answered = new AtomicBoolean();
  private volatile boolean abandoned;

  ServerResponder(
      ReceivedRequest request,
      Route route,
      MessageRequests factory,
      SipHandlers handlers,
      ServerRequests requests,
      SipTransactionEvents events) {
    this.request = Objects.requireNonNull(request, "request");
    this.route = Objects.requireNonNull(route, "route");
    this.factory = Objects.requireNonNull(factory, "factory");
    this.handlers = Objects.requireNonNull(handlers, "handlers");
    this.events = Objects.requireNonNull(events, "events");
    this.requests = Objects.requireNonNull(requests, "requests");
    requests.received(this);
  }

  boolean answered() {
    return answered.get();
  }

  @Override
  public boolean blocks() {
    return route.blocks();
  }

  @Override
  public void respond(int statusCode, String reasonPhrase) {
    respond(statusCode, reasonPhrase, Extra.NONE);
  }

  @Override
  public void unavailable(String reasonPhrase, Duration retryAfter) {
    respond(Response.SERVICE_UNAVAILABLE, reasonPhrase, retryAfter(factory, retryAfter));
  }

  /** A Retry-After header (RFC 3261 §20.33): whole seconds, rounded up, never 0. */
  static Extra retryAfter(MessageRequests factory, Duration wait) {
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    return response -> {
      try {
        response.addHeader(
            factory.headers().createRetryAfterHeader((int) Math.min(seconds, Integer.MAX_VALUE)));
      } catch (InvalidArgumentException e) {
        throw new IllegalStateException("Retry-After of " + seconds + " s refused", e);
      }
    };
  }

  /**
   * Like {@link #respond(int, String)}, with headers added by {@code extra}.
   *
   * @return whether the response left (a failure to send is logged)
   */
  boolean respond(int statusCode, String reasonPhrase, Extra extra) {
    if (statusCode < 200 || statusCode > 699) {
      throw new IllegalArgumentException("not a final status code: " + statusCode);
    }
    Objects.requireNonNull(reasonPhrase, "reasonPhrase");
    if (!answered.compareAndSet(false, true)) {
      if (abandoned) {
        log.debug(
            "{} was answered {} by the closing endpoint; not answering it {}",
            request.method(),
            Response.SERVICE_UNAVAILABLE,
            statusCode);
        return false;
      }
      throw new IllegalStateException(request.method() + " was already answered");
    }
    return send(statusCode, reasonPhrase, extra);
  }

  /**
   * Answers for a closing endpoint, unless the application already did; the application's own
   * answer, when it comes, is dropped.
   */
  void abandon(int statusCode, Extra extra) {
    if (answered.compareAndSet(false, true)) {
      abandoned = true;
      send(statusCode, "", extra);
    }
  }

  private boolean send(int statusCode, String reasonPhrase, Extra extra) {
    try {
      boolean optionsOk = statusCode == Response.OK && Request.OPTIONS.equals(request.method());
      boolean plain =
          extra == Extra.NONE
              && !optionsOk
              && statusCode != Response.METHOD_NOT_ALLOWED
              && statusCode != Response.UNSUPPORTED_MEDIA_TYPE;
      if (plain && route.sendPlain(statusCode, reasonPhrase)) {
        sent(statusCode);
        return true;
      }
      Response response = factory.response(request.parsed(), statusCode, reasonPhrase);
      if (statusCode == Response.METHOD_NOT_ALLOWED || optionsOk) {
        addAllow(response); // RFC 3261 §8.2.1 (405), §11.2 (OPTIONS)
      }
      if (statusCode == Response.UNSUPPORTED_MEDIA_TYPE || optionsOk) {
        addAccept(response); // RFC 3261 §21.4.13 (415), §11.2 (OPTIONS)
      }
      extra.addTo(response);
      route.send(response);
      sent(statusCode);
      return true;
    } catch (ParseException e) {
      // Without a response model, the request's own lines still make one, if a plainer one.
      if (route.sendPlain(statusCode, reasonPhrase)) {
        log.warn(
            "answered {} with a plain {}: cannot build the full response: {}",
            request.method(),
            statusCode,
            e.toString());
        sent(statusCode);
        return true;
      }
      log.warn("cannot answer {} with {}: {}", request.method(), statusCode, e.toString());
      return false;
    } catch (SipException | InvalidArgumentException e) {
      log.warn("cannot answer {} with {}: {}", request.method(), statusCode, e.toString());
      return false;
    } finally {
      requests.answered(this);
    }
  }

  private void sent(int statusCode) {
    if (log.isDebugEnabled()) { // the Call-ID lookup alone was 1.5% of the gateway's CPU
      log.debug("answered {} {} with {}", request.method(), request.callId(), statusCode);
    }
    events.answered(SipTransactionEvents.Role.SERVER, request.method(), statusCode);
  }

  private void addAllow(Response response) throws ParseException {
    response.addHeader(factory.headers().createAllowHeader(Request.OPTIONS));
    if (handlers.messageHandler().isPresent()) {
      response.addHeader(factory.headers().createAllowHeader(Request.MESSAGE));
    }
    if (handlers.subscriptionHandler().isPresent()) {
      response.addHeader(factory.headers().createAllowHeader(Request.SUBSCRIBE));
    }
    if (handlers.notificationListener().isPresent()) {
      response.addHeader(factory.headers().createAllowHeader(Request.NOTIFY));
    }
  }

  private void addAccept(Response response) throws ParseException {
    for (String type : handlers.messageMediaTypes()) {
      int slash = type.indexOf('/');
      response.addHeader(
          factory
              .headers()
              .createAcceptHeader(type.substring(0, slash), type.substring(slash + 1)));
    }
  }
}
