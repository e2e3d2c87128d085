package org.passerelle.testpeers.sip;

import java.text.ParseException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.passerelle.testpeers.Inbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user agent server side of a {@link SipTestClient} (RFC 3261 §8.2): collects and answers every
 * request but ACK (OPTIONS are answered only), leaving SUBSCRIBEs to the {@link PresenceAgent} if
 * there is one; passes responses and timeouts to the waiting client transactions. Called by the
 * stack's threads.
 */
final class UserAgentListener implements SipListener {

  private static final Logger LOG = LoggerFactory.getLogger(UserAgentListener.class);

  /** RFC 3261 §20.5: what a 405 lists. */
  private static final List<String> ALLOW =
      List.of(Request.MESSAGE, Request.NOTIFY, Request.OPTIONS);

  /** What a 405 lists when the client is its own presence agent. */
  private static final List<String> PRESENCE_AGENT_ALLOW =
      List.of(Request.MESSAGE, Request.NOTIFY, Request.OPTIONS, Request.SUBSCRIBE);

  private final String owner;
  private final SipFactories factories;
  private final PendingTransactions pending;
  private final Inbox<ReceivedRequest> messages;
  private final Inbox<ReceivedRequest> notifies;
  private final Inbox<ReceivedRequest> others;
  private final MessageAnswers messageAnswers;
  private final Optional<PresenceAgent> presenceAgent;

  /**
   * @param presenceAgent takes the SUBSCRIBEs if the client is its own presence agent; without one
   *     they are collected with {@code others} and answered 405
   */
  UserAgentListener(
      String owner,
      SipFactories factories,
      PendingTransactions pending,
      Inbox<ReceivedRequest> messages,
      Inbox<ReceivedRequest> notifies,
      Inbox<ReceivedRequest> others,
      MessageAnswers messageAnswers,
      Optional<PresenceAgent> presenceAgent) {
    this.owner = owner;
    this.factories = factories;
    this.pending = pending;
    this.messages = messages;
    this.notifies = notifies;
    this.others = others;
    this.messageAnswers = messageAnswers;
    this.presenceAgent = presenceAgent;
  }

  @Override
  public void processRequest(RequestEvent event) {
    Request request = event.getRequest();
    switch (request.getMethod()) {
      case Request.MESSAGE -> {
        // Collected before the answer: a sender that sees the answer finds it collected.
        messages.add(ReceivedRequest.of(request));
        int status = messageAnswers.status();
        if (messageAnswers.holding()) {
          // The server transaction now, so that retransmissions are absorbed while the answer
          // waits.
          ServerTransaction transaction = serverTransaction(event);
          if (transaction != null) {
            messageAnswers.answer(() -> respond(transaction, request, status));
          }
        } else {
          answer(event, status);
        }
      }
      case Request.NOTIFY -> {
        notifies.add(ReceivedRequest.of(request));
        answer(event, Response.OK);
      }
      case Request.OPTIONS -> answer(event, Response.OK);
      case Request.SUBSCRIBE -> {
        if (presenceAgent.isPresent()) {
          presenceAgent.get().onSubscribe(event);
        } else {
          others.add(ReceivedRequest.of(request));
          answer(event, Response.METHOD_NOT_ALLOWED);
        }
      }
      case Request.ACK -> {
        // ends a transaction we answered; nothing to do
      }
      default -> {
        others.add(ReceivedRequest.of(request));
        answer(event, Response.METHOD_NOT_ALLOWED);
      }
    }
  }

  @Override
  public void processResponse(ResponseEvent event) {
    pending.onResponse(event);
  }

  @Override
  public void processTimeout(TimeoutEvent event) {
    pending.onTimeout(event);
  }

  @Override
  public void processIOException(IOExceptionEvent event) {
    LOG.debug(
        "{}: transport error towards {}:{}/{}",
        owner,
        event.getHost(),
        event.getPort(),
        event.getTransport());
  }

  @Override
  public void processTransactionTerminated(TransactionTerminatedEvent event) {
    // nothing kept per transaction beyond PendingTransactions' own cleanup
  }

  @Override
  public void processDialogTerminated(DialogTerminatedEvent event) {
    // subscriptions are forgotten by SipTestClient itself
  }

  /** Answers statefully, so that retransmissions of the request are absorbed (§17.2). */
  private void answer(RequestEvent event, int status) {
    ServerTransaction transaction = serverTransaction(event);
    if (transaction != null) {
      respond(transaction, event.getRequest(), status);
    }
  }

  private ServerTransaction serverTransaction(RequestEvent event) {
    ServerTransaction transaction = event.getServerTransaction();
    if (transaction != null) {
      return transaction;
    }
    try {
      return ((SipProvider) event.getSource()).getNewServerTransaction(event.getRequest());
    } catch (SipException e) {
      LOG.warn("{}: cannot take {}", owner, event.getRequest().getMethod(), e);
      return null;
    }
  }

  private void respond(ServerTransaction transaction, Request request, int status) {
    try {
      Response response = factories.messages().createResponse(status, request);
      ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
      if (to.getTag() == null) {
        // §8.2.6.2: the UAS adds a To tag to its responses.
        to.setTag(UUID.randomUUID().toString().substring(0, 8));
      }
      if (status == Response.METHOD_NOT_ALLOWED) {
        for (String method : presenceAgent.isPresent() ? PRESENCE_AGENT_ALLOW : ALLOW) {
          response.addHeader(factories.headers().createAllowHeader(method));
        }
      }
      transaction.sendResponse(response);
    } catch (ParseException | SipException | InvalidArgumentException e) {
      LOG.warn("{}: cannot answer {} {}", owner, request.getMethod(), status, e);
    }
  }
}
