package org.passerelle.gateway.sip;

import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.net.InetSocketAddress;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.passerelle.gateway.sip.stream.RawResponses;
import org.passerelle.gateway.sip.stream.SipHead;
import org.passerelle.gateway.sip.stream.SipStreamServer;
import org.passerelle.gateway.sip.stream.StreamPeer;
import org.passerelle.gateway.threads.BoundedThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the requests that come to the gateway's own listener (decision 17) and hands them to {@link
 * InboundRequests}, to be answered on the connection they came on: a MESSAGE within {@link
 * RawMessage}'s subset is read from its own bytes (decision 21), every other request by JAIN-SIP's
 * one-shot parser ({@link RequestParser}). MESSAGE and OPTIONS are served on the connection's event
 * loop, where the MESSAGE's stanza goes to the link without a hand-off; everything else (SUBSCRIBE
 * and NOTIFY, whose handlers may reach the subscription store) goes to the {@code sip-requests}
 * thread, in arrival order.
 *
 * <p>A request JAIN-SIP cannot parse, or that lacks a header every request must have (RFC 3261
 * §8.1.1), is answered 400 from its raw head ({@link RawResponses}), as JAIN-SIP's own transports
 * answer it.
 */
final class StreamRequests implements SipStreamServer.Requests, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StreamRequests.class);

  /** Requests waiting for the {@code sip-requests} thread; beyond this many, 503. */
  static final int QUEUE = 10_000;

  private final InboundRequests inbound;
  private final ThreadPoolExecutor dialogThread;

  StreamRequests(InboundRequests inbound) {
    this.inbound = inbound;
    this.dialogThread = BoundedThread.named("sip-requests", QUEUE);
  }

  @Override
  public void onRequest(StreamPeer peer, SipHead head, byte[] bytes) {
    SipTransport transport = peer.tls() ? SipTransport.TLS : SipTransport.TCP;
    Route route = new Route(peer, transport, bytes);
    Optional<RawMessage> message = RawMessage.read(bytes);
    if (message.isPresent()) {
      inbound.onStreamRequest(message.get(), peer.remote(), transport, route);
      return;
    }
    SIPRequest request = parse(peer, bytes);
    if (request == null) {
      return;
    }
    String method = request.getMethod();
    if (Request.MESSAGE.equals(method)) {
      // Slower, not wrong: decision 21. A SIP server whose every MESSAGE shows here is worth a
      // look.
      log.debug("a MESSAGE from {} outside RawMessage's subset, parsed by JAIN-SIP", peer);
    }
    if (Request.MESSAGE.equals(method) || Request.OPTIONS.equals(method)) {
      inbound.onStreamRequest(new ParsedRequest(request), peer.remote(), transport, route);
      return;
    }
    try {
      dialogThread.execute(new Queued(request, peer.remote(), transport, route));
    } catch (RejectedExecutionException e) {
      log.warn(
          "{} from {} answered 503: {} requests wait for the sip-requests thread",
          method,
          peer,
          dialogThread.getQueue().size());
      refuse(request, route, "Overloaded");
    }
  }

  /** The request, or {@code null} when it was answered 400 (or could not be answered). */
  private static SIPRequest parse(StreamPeer peer, byte[] bytes) {
    String problem;
    try {
      return RequestParser.parse(bytes);
    } catch (ParseException | RuntimeException e) {
      problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    byte[] answer =
        RawResponses.answer(
            bytes, peer.remote(), Response.BAD_REQUEST, "Bad Request", MessageRequests::newTag);
    if (answer == null) {
      log.warn("an unreadable SIP request from {} cannot be answered: {}", peer, problem);
    } else {
      log.info("an unreadable SIP request from {} answered 400: {}", peer, problem);
      peer.send(answer);
    }
    return null;
  }

  /**
   * RFC 3261 §18.2.1: {@code received} when the sent-by host is not where the request came from,
   * and {@code rport} filled in when the client asked for it (RFC 3581 §4). On the top Via of a
   * response JAIN-SIP built, which copied the request's; {@link RawResponses} does the same to the
   * plain ones it writes.
   */
  private static void stampVia(SIPResponse response, InetSocketAddress source) {
    Via via = response.getTopmostVia();
    String address = source.getAddress().getHostAddress();
    try {
      if (!address.equals(via.getHost())) {
        via.setReceived(address);
      }
      if (via.hasParameter(Via.RPORT) && via.getRPort() <= 0) {
        via.setParameter(Via.RPORT, Integer.toString(source.getPort()));
      }
    } catch (ParseException e) {
      log.debug(
          "cannot stamp the Via of a {} response: {}", response.getStatusCode(), e.getMessage());
    }
  }

  private void refuse(SIPRequest request, Route route, String reason) {
    if (Request.ACK.equals(request.getMethod())) {
      return;
    }
    inbound.answerStateless(
        new ParsedRequest(request),
        route,
        Response.SERVICE_UNAVAILABLE,
        reason,
        Duration.ofSeconds(1));
  }

  /** Answers 503 to what still waits for the {@code sip-requests} thread, and stops it. */
  @Override
  public void close() {
    List<Runnable> left = dialogThread.shutdownNow();
    for (Runnable runnable : left) {
      Queued queued = (Queued) runnable;
      refuse(queued.request(), queued.route(), "");
    }
    if (!left.isEmpty()) {
      log.info("answered 503 to {} request(s) waiting for the sip-requests thread", left.size());
    }
  }

  /**
   * Answers on the connection the request came on; never blocks. Plain answers are written from the
   * request's own bytes ({@link RawResponses}).
   */
  private record Route(StreamPeer peer, SipTransport transport, byte[] request)
      implements ServerResponder.Route {
    @Override
    public void send(Response response) {
      SIPResponse sipResponse = (SIPResponse) response;
      stampVia(sipResponse, peer.remote());
      peer.send(sipResponse.encodeAsBytes(transport.token()));
    }

    @Override
    public boolean sendPlain(int statusCode, String reasonPhrase) {
      String reason =
          reasonPhrase.isEmpty() ? SIPResponse.getReasonPhrase(statusCode) : reasonPhrase;
      byte[] response =
          RawResponses.answer(request, peer.remote(), statusCode, reason, MessageRequests::newTag);
      if (response == null) {
        return false;
      }
      peer.send(response);
      return true;
    }

    @Override
    public boolean blocks() {
      return false;
    }
  }

  private final class Queued implements Runnable {
    private final SIPRequest request;
    private final InetSocketAddress source;
    private final SipTransport transport;
    private final Route route;

    Queued(SIPRequest request, InetSocketAddress source, SipTransport transport, Route route) {
      this.request = request;
      this.source = source;
      this.transport = transport;
      this.route = route;
    }

    SIPRequest request() {
      return request;
    }

    Route route() {
      return route;
    }

    @Override
    public void run() {
      try {
        inbound.onStreamRequest(new ParsedRequest(request), source, transport, route);
      } catch (RuntimeException e) {
        log.error("failed to handle a {} request", request.getMethod(), e);
      }
    }
  }
}
