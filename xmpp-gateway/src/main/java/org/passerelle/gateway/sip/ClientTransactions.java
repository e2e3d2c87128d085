package org.passerelle.gateway.sip;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import javax.sip.ClientTransaction;
import javax.sip.ObjectInUseException;
import javax.sip.address.Address;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.RetryAfterHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The requests we sent that await a final response, by Via branch. Each future completes once: with
 * the final response (kept as JAIN-SIP parsed it, for the dialog code to read; {@link #info} turns
 * it into our type at the boundary), or with a {@link SipSendException}.
 */
final class ClientTransactions {

  private record Pending(SipTarget target, CompletableFuture<Response> future) {}

  private final Map<String, Pending> pending = new ConcurrentHashMap<>();

  CompletableFuture<Response> register(ClientTransaction tx, SipTarget target) {
    CompletableFuture<Response> future = new CompletableFuture<>();
    pending.put(tx.getBranchId(), new Pending(target, future));
    return future;
  }

  /** A response arrived; provisional ones (1xx) are ignored. */
  void onResponse(ClientTransaction tx, Response response) {
    if (tx == null || response.getStatusCode() < 200) {
      return; // a stray response, or 100 Trying
    }
    Pending p = pending.remove(tx.getBranchId());
    if (Request.SUBSCRIBE.equals(tx.getRequest().getMethod())) {
      // JAIN-SIP keeps a SUBSCRIBE's transaction after its final response, to match NOTIFYs, and
      // walks every client transaction for each NOTIFY outside its own dialogs; we match NOTIFYs
      // ourselves (decision 7), so it would only cost a scan per NOTIFY that grows with load.
      try {
        tx.terminate();
      } catch (ObjectInUseException e) {
        // already ending
      }
    }
    if (p != null) {
      p.future().complete(response);
    }
  }

  void onTimeout(ClientTransaction tx, Duration timeout) {
    fail(
        tx.getBranchId(),
        SipSendException.Reason.TIMEOUT,
        "no final response within " + timeout.toMillis() + " ms (Timer F)");
  }

  /** The transaction ended; if no response completed it, something went wrong underneath. */
  void onTerminated(ClientTransaction tx) {
    fail(tx.getBranchId(), SipSendException.Reason.TRANSPORT, "transaction ended without response");
  }

  void onSendFailed(ClientTransaction tx, Exception cause) {
    Pending p = pending.remove(tx.getBranchId());
    if (p != null) {
      p.future()
          .completeExceptionally(
              new SipSendException(
                  SipSendException.Reason.TRANSPORT,
                  "cannot send to " + p.target() + ": " + cause.getMessage(),
                  cause));
    }
  }

  /**
   * JAIN-SIP reports a broken connection by peer address, not by transaction: every request waiting
   * on that peer fails.
   */
  void onTransportError(String host, int port, String transport) {
    for (Map.Entry<String, Pending> e : pending.entrySet()) {
      SipTarget t = e.getValue().target();
      if (t.port() == port
          && t.transport().token().equalsIgnoreCase(transport)
          && t.address().getHostAddress().equals(host)) {
        fail(e.getKey(), SipSendException.Reason.TRANSPORT, "connection to " + t + " failed");
      }
    }
  }

  void failAll(SipSendException.Reason reason, String message) {
    for (String branch : List.copyOf(pending.keySet())) {
      fail(branch, reason, message);
    }
  }

  private void fail(String branch, SipSendException.Reason reason, String message) {
    Pending p = pending.remove(branch);
    if (p != null) {
      p.future()
          .completeExceptionally(new SipSendException(reason, message + " (" + p.target() + ")"));
    }
  }

  /** Reads the values we pass on from the response JAIN-SIP already parsed. */
  static SipResponseInfo info(Response response) {
    int status = response.getStatusCode();
    List<String> contacts = new ArrayList<>();
    if (status >= 300 && status < 400) {
      ListIterator<?> it = response.getHeaders(ContactHeader.NAME);
      while (it.hasNext()) {
        Address address = ((ContactHeader) it.next()).getAddress();
        if (address != null && address.getURI() != null) {
          contacts.add(address.getURI().toString());
        }
      }
    }
    RetryAfterHeader retryAfter = (RetryAfterHeader) response.getHeader(RetryAfterHeader.NAME);
    String reason = response.getReasonPhrase();
    return new SipResponseInfo(
        status,
        reason == null ? "" : reason,
        ((CallIdHeader) response.getHeader(CallIdHeader.NAME)).getCallId(),
        contacts,
        Optional.ofNullable(retryAfter).map(h -> Duration.ofSeconds(h.getRetryAfter())));
  }
}
