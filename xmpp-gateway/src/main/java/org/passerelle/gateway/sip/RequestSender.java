package org.passerelle.gateway.sip;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.stack.HopImpl;
import java.net.InetSocketAddress;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import javax.sip.ClientTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.header.CallIdHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.passerelle.gateway.sip.stream.SipStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a request in a client transaction to a next hop chosen by the caller: finds its address
 * (RFC 3263, {@link SipServerLocator}), picks TCP for requests over {@value
 * SipEndpoint#MAX_UDP_REQUEST_BYTES} bytes (RFC 3261 §18.1.1), writes the Via for the transport and
 * completes with the final response. SUBSCRIBE and NOTIFY go in JAIN-SIP client transactions;
 * MESSAGE over TCP and TLS on the gateway's own {@link SipStreams} (decision 16).
 */
final class RequestSender {

  private static final Logger log = LoggerFactory.getLogger(RequestSender.class);

  /** Completes a request once its transport is known, e.g. with a Contact for that transport. */
  @FunctionalInterface
  interface PerTarget {
    PerTarget NOTHING = (request, target) -> {};

    void prepare(Request request, SipTarget target) throws ParseException;
  }

  private final SipSettings settings;
  private final Map<SipTransport, SipProvider> providers;
  private final SipServerLocator locator;
  private final ClientTransactions transactions;
  private final BooleanSupplier closed;
  private final AtomicInteger underWay = new AtomicInteger();
  private final SipTransactionEvents events;
  private final SipStreams streams;

  RequestSender(
      SipSettings settings,
      Map<SipTransport, SipProvider> providers,
      SipServerLocator locator,
      ClientTransactions transactions,
      BooleanSupplier closed,
      SipTransactionEvents events,
      SipStreams streams) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.providers = Objects.requireNonNull(providers, "providers");
    this.locator = Objects.requireNonNull(locator, "locator");
    this.transactions = Objects.requireNonNull(transactions, "transactions");
    this.closed = Objects.requireNonNull(closed, "closed");
    this.events = Objects.requireNonNull(events, "events");
    this.streams = Objects.requireNonNull(streams, "streams");
  }

  /**
   * Sends {@code request} to {@code nextHop}.
   *
   * @param secure whether the URI that named the next hop is {@code sips:} (TLS only)
   * @param perTarget called with the transport chosen, before the request leaves
   * @return the final response, whatever its status; or a failure with a {@link SipSendException}
   */
  CompletableFuture<Response> send(
      Request request, SipServerAddress nextHop, boolean secure, PerTarget perTarget) {
    return send(request, nextHop, secure, perTarget, UNKNOWN_SIZE);
  }

  /**
   * As {@link #send(Request, SipServerAddress, boolean, PerTarget)}, with an upper bound of the
   * request's size as it stands (see {@link #transportSize}), or {@link #UNKNOWN_SIZE}.
   */
  CompletableFuture<Response> send(
      Request request,
      SipServerAddress nextHop,
      boolean secure,
      PerTarget perTarget,
      int sizeBound) {
    return told(
        request.getMethod(),
        attempt(
            () ->
                locate(nextHop, secure, transportSize(request, sizeBound))
                    .thenCompose(t -> send(request, List.of(t.target()), t.size(), perTarget))),
        Response::getStatusCode);
  }

  /**
   * Sends a MESSAGE (RFC 3428) to {@code nextHop}: over TCP or TLS on the gateway's own {@link
   * SipStreams} (decision 16), whose transaction ends with the final response; over UDP in a
   * JAIN-SIP client transaction, which retransmits (RFC 3261 §17.1.2.2).
   *
   * @param sizeBound an upper bound of the request's size, or {@link #UNKNOWN_SIZE}
   */
  CompletableFuture<SipResponseInfo> sendMessage(
      MessageDraft message, SipServerAddress nextHop, boolean secure, int sizeBound) {
    return told(
        Request.MESSAGE,
        attempt(
            () ->
                locate(
                        nextHop,
                        secure,
                        sizeBound <= SipEndpoint.MAX_UDP_REQUEST_BYTES ? sizeBound : message.size())
                    .thenCompose(t -> sendMessage(message, t.target(), t.size()))),
        SipResponseInfo::statusCode);
  }

  private CompletableFuture<SipResponseInfo> sendMessage(
      MessageDraft message, SipTarget target, int size) {
    byte[] bytes;
    String branch;
    try {
      if (!target.transport().isReliable()) {
        return send(message.request(), List.of(target), size, PerTarget.NOTHING)
            .thenApply(ClientTransactions::info);
      }
      branch = BranchIds.next();
      bytes = message.bytes(target.transport(), settings.ports().get(target.transport()), branch);
    } catch (ParseException e) {
      return failed(
          SipSendException.Reason.TRANSPORT, "cannot send to " + target + ": " + e.getMessage());
    }
    if (log.isDebugEnabled()) {
      log.debug("sending MESSAGE {} to {} ({} bytes)", message.callId(), target, bytes.length);
    }
    return streams.send(
        new InetSocketAddress(target.address(), target.port()),
        target.transport() == SipTransport.TLS,
        branch,
        Request.MESSAGE,
        bytes);
  }

  /** Tells {@link #events} how {@code response} ends, on the side; returns it as it is. */
  private <T> CompletableFuture<T> told(
      String method, CompletableFuture<T> response, ToIntFunction<T> status) {
    response.whenComplete(
        (answer, failure) -> {
          if (answer != null) {
            events.answered(SipTransactionEvents.Role.CLIENT, method, status.applyAsInt(answer));
          } else {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            events.failed(
                method,
                cause instanceof SipSendException e
                    ? e.reason()
                    : SipSendException.Reason.TRANSPORT);
          }
        });
    return response;
  }

  /**
   * The size that decides between UDP and a congestion-controlled transport (RFC 3261 §18.1.1): the
   * request encoded as it stands, before the transport and branch are written into its Via.
   * Encoding a whole request only to learn its length costs as much as building it, so a caller
   * that knows an upper bound gives it: a bound within the limit is returned as it is (the request
   * fits whatever its exact size); above the limit the request is encoded and measured, so the
   * choice near the limit is the exact one.
   *
   * @param sizeBound at least the encoded size, or {@link #UNKNOWN_SIZE}
   */
  static int transportSize(Request request, int sizeBound) {
    if (sizeBound <= SipEndpoint.MAX_UDP_REQUEST_BYTES) {
      return sizeBound;
    }
    return ((SIPMessage) request).encodeAsBytes(SipTransport.UDP.token()).length;
  }

  /** No bound known: the request is encoded to learn its size. */
  static final int UNKNOWN_SIZE = Integer.MAX_VALUE;

  /**
   * Counts {@code send} as under way until it completes, unless the endpoint is closed. The caller
   * sees the outcome only once it no longer counts: whoever waits for it, then for nothing under
   * way (a draining endpoint, a test), must not find it still counted.
   */
  private <T> CompletableFuture<T> attempt(Supplier<CompletableFuture<T>> send) {
    if (closed.getAsBoolean()) {
      return failed(SipSendException.Reason.CLOSED, "the SIP endpoint is closed");
    }
    underWay.incrementAndGet();
    CompletableFuture<T> response;
    try {
      response = send.get();
    } catch (RuntimeException e) {
      underWay.decrementAndGet();
      throw e;
    }
    CompletableFuture<T> outcome = new CompletableFuture<>();
    response.whenComplete(
        (r, e) -> {
          underWay.decrementAndGet();
          // The exception as it came, not wrapped in a CompletionException as a dependent stage's.
          if (e != null) {
            outcome.completeExceptionally(e);
          } else {
            outcome.complete(r);
          }
        });
    return outcome;
  }

  /** Requests sent (or being located) that await their final response. */
  int underWay() {
    return underWay.get();
  }

  /** Where a request goes, and its size as {@link #transportSize} gives it. */
  private record Located(SipTarget target, int size) {}

  /** Where a request of {@code size} bytes ({@link #transportSize}) goes. */
  private CompletableFuture<Located> locate(SipServerAddress nextHop, boolean secure, int size) {
    boolean needsReliable = size > SipEndpoint.MAX_UDP_REQUEST_BYTES;
    if (needsReliable
        && !settings.ports().containsKey(SipTransport.TCP)
        && !settings.ports().containsKey(SipTransport.TLS)) {
      return failed(
          SipSendException.Reason.TOO_LARGE,
          "a request of "
              + size
              + " bytes needs TCP (RFC 3261 §18.1.1), and neither TCP nor TLS is enabled");
    }
    return locator
        .locate(nextHop, secure, needsReliable)
        .thenApply(targets -> new Located(targets.get(0), size));
  }

  private CompletableFuture<Response> send(
      Request request, List<SipTarget> targets, int size, PerTarget perTarget) {
    if (closed.getAsBoolean()) {
      return failed(SipSendException.Reason.CLOSED, "the SIP endpoint is closed");
    }
    SipTarget target = targets.get(0);
    SipProvider provider = providers.get(target.transport());
    ClientTransaction tx;
    try {
      MessageRequests.setVia(request, target.transport(), settings.ports().get(target.transport()));
      perTarget.prepare(request, target);
      JainSipPlugins.NextHopRouter.setNextHop(
          request,
          new HopImpl(
              target.address().getHostAddress(), target.port(), target.transport().token()));
      tx = provider.getNewClientTransaction(request);
      tx.setRetransmitTimer((int) settings.t1().toMillis());
    } catch (ParseException | SipException e) {
      return failed(
          SipSendException.Reason.TRANSPORT, "cannot send to " + target + ": " + e.getMessage());
    }
    CompletableFuture<Response> response = transactions.register(tx, target);
    try {
      tx.sendRequest();
      if (log.isDebugEnabled()) {
        log.debug(
            "sent {} {} to {} (at most {} bytes before Via)",
            request.getMethod(),
            ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId(),
            target,
            size);
      }
    } catch (SipException e) {
      transactions.onSendFailed(tx, e);
    }
    return response;
  }

  static <T> CompletableFuture<T> failed(SipSendException.Reason reason, String message) {
    return CompletableFuture.failedFuture(new SipSendException(reason, message));
  }
}
