package org.passerelle.gateway.sip;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sip.InvalidArgumentException;
import javax.sip.message.Response;
import org.passerelle.model.lifecycle.Lifecycle;
import org.passerelle.model.lifecycle.Phase;

/**
 * The requests received and not answered yet, and whether new ones are taken. While the endpoint
 * drains, every new request is answered 503 with a Retry-After (RFC 3261 §21.5.4): a SIP server
 * with other gateways fails over to one of them (RFC 3263 §4.3), a user agent may retry later, and
 * a notifier keeps its subscription (a NOTIFY answered 503 is not a 481). What is still unanswered
 * when the endpoint closes gets the same answer before the stack stops.
 */
final class ServerRequests {
  private final Set<ServerResponder> unanswered = ConcurrentHashMap.newKeySet();
  private final Lifecycle lifecycle = new Lifecycle();
  private final MessageRequests factory;
  private volatile int retryAfterSeconds = 1;

  ServerRequests(MessageRequests factory) {
    this.factory = factory;
  }

  void received(ServerResponder responder) {
    unanswered.add(responder);
  }

  void answered(ServerResponder responder) {
    unanswered.remove(responder);
  }

  /** Whether new requests are served (not once the endpoint drains). */
  boolean taking() {
    return lifecycle.isRunning();
  }

  int unanswered() {
    return unanswered.size();
  }

  /** From now on, new requests are answered 503 with {@code Retry-After: retryAfter}. */
  void drain(Duration retryAfter) {
    retryAfterSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, retryAfter.toSeconds()));
    lifecycle.advance(Phase.DRAINING);
  }

  /** Answers a request that arrived while draining. */
  void refuse(ServerResponder responder) {
    responder.respond(Response.SERVICE_UNAVAILABLE, "", this::addRetryAfter);
  }

  /** Answers 503 to every request still unanswered; returns how many. */
  int abandonAll() {
    lifecycle.advance(Phase.STOPPED);
    List<ServerResponder> left = List.copyOf(unanswered);
    left.forEach(r -> r.abandon(Response.SERVICE_UNAVAILABLE, this::addRetryAfter));
    return left.size();
  }

  private void addRetryAfter(Response response) {
    try {
      response.addHeader(factory.headers().createRetryAfterHeader(retryAfterSeconds));
    } catch (InvalidArgumentException e) {
      throw new IllegalStateException("Retry-After " + retryAfterSeconds, e);
    }
  }
}
