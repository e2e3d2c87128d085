package org.passerelle.testpeers.sip;

import java.text.ParseException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.TimeoutEvent;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The client transactions a {@link SipTestClient} waits on, each until its final response (RFC 3261
 * §17.1). A transaction that gets none ends as the RFC says a UAC should see it (§8.1.3.1): a
 * timeout as 408, a transport error as 503.
 */
final class PendingTransactions {

  /** Sends a request on a client transaction: itself, or through its dialog. */
  @FunctionalInterface
  interface Send {
    void send() throws SipException;
  }

  private final Map<ClientTransaction, CompletableFuture<Response>> pending =
      new ConcurrentHashMap<>();
  private final MessageFactory messages;

  PendingTransactions(MessageFactory messages) {
    this.messages = messages;
  }

  /**
   * Sends with {@code send} and waits up to {@code timeout} for the final response to {@code
   * transaction}.
   */
  Response exchange(ClientTransaction transaction, Send send, Duration timeout) {
    CompletableFuture<Response> answer = new CompletableFuture<>();
    pending.put(transaction, answer);
    try {
      send.send();
      return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (SipException e) {
      return local(transaction.getRequest(), Response.SERVICE_UNAVAILABLE, "transport error: " + e);
    } catch (TimeoutException e) {
      return local(
          transaction.getRequest(),
          Response.REQUEST_TIMEOUT,
          "no final response within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      throw new IllegalStateException("unexpected failure of a transaction", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a response", e);
    } finally {
      pending.remove(transaction);
    }
  }

  /** From the stack: provisional responses are ignored, a final one ends the wait. */
  void onResponse(ResponseEvent event) {
    Response response = event.getResponse();
    ClientTransaction transaction = event.getClientTransaction();
    if (transaction == null || response.getStatusCode() < 200) {
      return;
    }
    CompletableFuture<Response> answer = pending.get(transaction);
    if (answer != null) {
      answer.complete(response);
    }
  }

  /** From the stack: Timer F fired (§17.1.2.2). */
  void onTimeout(TimeoutEvent event) {
    ClientTransaction transaction = event.getClientTransaction();
    if (transaction == null) {
      return;
    }
    CompletableFuture<Response> answer = pending.get(transaction);
    if (answer != null) {
      answer.complete(
          local(transaction.getRequest(), Response.REQUEST_TIMEOUT, "transaction timed out"));
    }
  }

  private Response local(Request request, int status, String why) {
    try {
      Response response = messages.createResponse(status, request);
      response.setReasonPhrase(response.getReasonPhrase() + " (local: " + why + ")");
      return response;
    } catch (ParseException e) {
      throw new IllegalStateException("cannot make a local " + status, e);
    }
  }
}
