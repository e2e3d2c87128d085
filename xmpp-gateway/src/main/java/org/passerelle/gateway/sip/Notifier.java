package org.passerelle.gateway.sip;

import java.net.InetSocketAddress;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sip.header.CallIdHeader;
import javax.sip.header.EventHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.passerelle.gateway.timers.Deadlines;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifier role (RFC 6665 §4.2, presence package RFC 3856): checks SUBSCRIBE requests, hands
 * them to the {@link SubscriptionHandler}, answers as it decides, sends the immediate NOTIFY after
 * each 2xx (§4.2.1.2) and later ones on request, and ends subscriptions that are not refreshed
 * (§4.2.1.4) or whose subscriber is gone (§4.2.2).
 */
final class Notifier implements SubscriptionNotifier {

  private static final Logger log = LoggerFactory.getLogger(Notifier.class);

  private final EventRequests requests;
  private final RequestSender sender;
  private final Optional<SubscriptionHandler> handler;
  private final Map<SubscriptionId, ServerSubscription> subscriptions = new ConcurrentHashMap<>();
  private final Deadlines<ServerSubscription> expiries;

  Notifier(
      EventRequests requests,
      RequestSender sender,
      SubscriptionTimers timers,
      Optional<SubscriptionHandler> handler) {
    this.requests = Objects.requireNonNull(requests, "requests");
    this.sender = Objects.requireNonNull(sender, "sender");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.expiries = Objects.requireNonNull(timers, "timers").deadlines(this::onExpiryDue);
  }

  @Override
  public CompletionStage<SipResponseInfo> notify(
      SubscriptionId id, OutgoingNotification notification) {
    Objects.requireNonNull(notification, "notification");
    ServerSubscription subscription = subscriptions.get(Objects.requireNonNull(id, "id"));
    if (subscription == null) {
      return RequestSender.failed(SipSendException.Reason.NO_SUBSCRIPTION, "no subscription " + id);
    }
    CompletableFuture<Response> sent;
    try {
      sent = send(subscription, notification);
    } catch (IllegalStateException e) {
      if (subscription.state() == NotifierState.TERMINATED) {
        return RequestSender.failed(SipSendException.Reason.NO_SUBSCRIPTION, e.getMessage());
      }
      throw e;
    }
    return sent.thenApply(ClientTransactions::info);
  }

  @Override
  public Optional<DialogState> dialogState(SubscriptionId id) {
    ServerSubscription subscription = subscriptions.get(Objects.requireNonNull(id, "id"));
    return subscription == null ? Optional.empty() : subscription.snapshot();
  }

  @Override
  public SubscriptionId resume(DialogState dialog, Duration remaining) {
    Objects.requireNonNull(dialog, "dialog");
    Objects.requireNonNull(remaining, "remaining");
    if (handler.isEmpty()) {
      throw new IllegalStateException(
          "subscriptions need a SubscriptionHandler (SipHandlers.Builder#subscriptions)");
    }
    if (!SubscribeRequest.PRESENCE.equalsIgnoreCase(dialog.event())) {
      throw new IllegalArgumentException("not a presence subscription: " + dialog.event());
    }
    if (remaining.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("remaining must be at least one second: " + remaining);
    }
    EventDialog resumed = EventDialog.of(dialog);
    resumed.skipLocalCseq(RESUME_CSEQ_GAP);
    ServerSubscription subscription = new ServerSubscription(resumed);
    // Armed before the subscription is visible, so that a refresh coming at once sets the expiry.
    scheduleExpiry(subscription, remaining);
    if (subscriptions.putIfAbsent(dialog.id(), subscription) != null) {
      subscription.end();
      throw new IllegalArgumentException("already a subscription " + dialog.id());
    }
    log.debug(
        "resumed {} to {} for {} s, CSeq from {}",
        dialog.id(),
        dialog.remoteTarget(),
        remaining.toSeconds(),
        dialog.localCseq() + RESUME_CSEQ_GAP);
    return dialog.id();
  }

  /** Handles a SUBSCRIBE for one of our domains (RFC 6665 §4.2.1). */
  void onSubscribe(
      Request subscribe, ServerResponder responder, InetSocketAddress source, SipTransport via) {
    Optional<EventHeader> event = EventRequests.event(subscribe);
    if (event.isEmpty() || EventRequests.eventCount(subscribe) != 1) {
      responder.respond(Response.BAD_REQUEST, "Exactly one Event header (RFC 6665 §8.2.1)");
      return;
    }
    if (!SubscribeRequest.PRESENCE.equalsIgnoreCase(event.get().getEventType())) {
      responder.respond( // RFC 6665 §4.2.1.1, §8.3.2
          Response.BAD_EVENT, "", requests.allowEvents(SubscribeRequest.PRESENCE));
      return;
    }
    List<String> accept = EventRequests.acceptTypes(subscribe);
    if (!accept.isEmpty() && !EventRequests.admits(accept, SubscribeRequest.PIDF)) {
      responder.respond(Response.NOT_ACCEPTABLE, "PIDF required (RFC 3856 §6.5)");
      return;
    }
    Optional<String> contact = EventRequests.contactUri(subscribe);
    Optional<String> fromTag = EventRequests.fromTag(subscribe);
    if (contact.isEmpty() || fromTag.isEmpty()) {
      responder.respond(Response.BAD_REQUEST, "SUBSCRIBE needs a Contact and a From tag");
      return;
    }
    Duration expires =
        EventRequests.expires(subscribe).isPresent()
            ? Duration.ofSeconds(EventRequests.expires(subscribe).getAsInt())
            : SubscribeRequest.DEFAULT_EXPIRES; // RFC 3856 §6.4
    String callId = ((CallIdHeader) subscribe.getHeader(CallIdHeader.NAME)).getCallId();
    Optional<String> toTag = EventRequests.toTag(subscribe);
    ServerSubscription existing = null;
    SubscriptionId id;
    IncomingSubscription.Kind kind;
    if (toTag.isPresent()) {
      id = new SubscriptionId(callId, toTag.get());
      existing = subscriptions.get(id);
      ServerSubscription.RequestVerdict verdict =
          existing == null
              ? ServerSubscription.RequestVerdict.NO_SUCH_DIALOG
              : existing.check(subscribe);
      switch (verdict) {
        case NO_SUCH_DIALOG -> {
          responder.respond(
              Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, "Subscription does not exist");
          return;
        }
        case OUT_OF_ORDER -> {
          responder.respond(Response.SERVER_INTERNAL_ERROR, "CSeq out of order");
          return;
        }
        case IN_DIALOG -> {}
      }
      kind =
          expires.isZero()
              ? IncomingSubscription.Kind.UNSUBSCRIBE
              : IncomingSubscription.Kind.REFRESH;
    } else {
      id = new SubscriptionId(callId, MessageRequests.newTag());
      // standards.md §2 [derived]: Expires: 0 outside a dialog is a poll, not a cancel.
      kind = expires.isZero() ? IncomingSubscription.Kind.POLL : IncomingSubscription.Kind.NEW;
    }
    IncomingSubscription incoming =
        new IncomingSubscription(
            id,
            kind,
            subscribe.getRequestURI().toString(),
            EventRequests.toUri(subscribe),
            EventRequests.fromUri(subscribe),
            event.get().getEventType().toLowerCase(Locale.ROOT),
            accept,
            expires,
            source,
            via);
    log.debug("received SUBSCRIBE {} ({}, {} s)", id, kind, expires.toSeconds());
    Decision decision =
        new Decision(subscribe, responder, incoming, existing, contact.get(), fromTag.get(), via);
    try {
      handler.orElseThrow().onSubscribe(incoming, decision);
    } catch (RuntimeException e) {
      log.error("SUBSCRIBE handler failed on {}", id, e);
      if (!responder.answered()) {
        responder.respond(Response.SERVER_INTERNAL_ERROR, "");
      }
    }
  }

  /**
   * Queues a NOTIFY. A {@code terminated} one removes the subscription first (terminated is always
   * a legal move, or the subscription was over already): once the subscriber has it, its requests
   * in the dialog get 481.
   */
  private CompletableFuture<Response> send(
      ServerSubscription subscription, OutgoingNotification notification) {
    if (notification.state() == SubscriptionState.TERMINATED) {
      subscriptions.remove(subscription.id(), subscription);
    }
    return subscription.enqueue(notification, this::transmit);
  }

  private CompletableFuture<Response> transmit(
      ServerSubscription subscription, OutgoingNotification notification) {
    Request notify;
    try {
      notify = subscription.buildNotify(requests, notification, expiries.now());
    } catch (ParseException e) {
      return RequestSender.failed(SipSendException.Reason.INVALID_ADDRESS, e.getMessage());
    }
    log.debug("notifying {}: {}", subscription.id(), notification);
    return sender
        .send(
            notify,
            EventRequests.nextHop(notify),
            EventRequests.nextHopSecure(notify),
            (request, target) -> requests.setContact(request, target.transport()))
        .whenComplete((response, error) -> checkDelivery(subscription, response, error));
  }

  /**
   * RFC 6665 §4.2.2: a NOTIFY that times out or is answered with a code that ends dialogs removes
   * the subscription.
   */
  private void checkDelivery(ServerSubscription subscription, Response response, Throwable error) {
    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
    boolean gone =
        cause != null
            ? !(cause instanceof SipSendException e && e.reason() == SipSendException.Reason.CLOSED)
            : EventRequests.endsDialog(response.getStatusCode());
    if (gone && subscription.end()) {
      subscriptions.remove(subscription.id(), subscription);
      log.debug(
          "{}: subscriber unreachable ({})",
          subscription.id(),
          cause != null ? cause.getMessage() : response.getStatusCode());
      report(subscription.id(), SubscriptionEnd.UNREACHABLE);
    }
  }

  private void scheduleExpiry(ServerSubscription subscription, Duration granted) {
    subscription.setExpiry(granted, expiries);
  }

  private void onExpiryDue(ServerSubscription subscription) {
    if (subscription.expire(expiries.now())) {
      log.debug("{}: not refreshed in time", subscription.id());
      try {
        send(subscription, OutgoingNotification.terminated(TerminationReason.TIMEOUT));
      } catch (IllegalStateException raced) {
        return; // ended meanwhile
      }
      report(subscription.id(), SubscriptionEnd.TIMED_OUT);
    }
  }

  private void report(SubscriptionId id, SubscriptionEnd end) {
    try {
      handler.orElseThrow().onEnded(id, end);
    } catch (RuntimeException e) {
      log.error("SUBSCRIBE handler failed on the end of {} ({})", id, end, e);
    }
  }

  /** The application's answer to one SUBSCRIBE. */
  private final class Decision implements SubscriptionResponder {
    private final Request subscribe;
    private final ServerResponder responder;
    private final IncomingSubscription incoming;
    private final ServerSubscription existing;
    private final String contact;
    private final String watcherTag;
    private final SipTransport via;
    private final AtomicBoolean decided = new AtomicBoolean();

    Decision(
        Request subscribe,
        ServerResponder responder,
        IncomingSubscription incoming,
        ServerSubscription existing,
        String contact,
        String watcherTag,
        SipTransport via) {
      this.subscribe = subscribe;
      this.responder = responder;
      this.incoming = incoming;
      this.existing = existing;
      this.contact = contact;
      this.watcherTag = watcherTag;
      this.via = via;
    }

    @Override
    public void accept(Duration expires, OutgoingNotification first) {
      Objects.requireNonNull(expires, "expires");
      Objects.requireNonNull(first, "first");
      if (expires.isNegative() || expires.compareTo(incoming.expires()) > 0) {
        throw new IllegalArgumentException(
            "grant at most the "
                + incoming.expires().toSeconds()
                + " s asked for (RFC 6665 §4.2.1.1)");
      }
      if (expires.toSeconds() == 0 && first.state() != SubscriptionState.TERMINATED) {
        throw new IllegalArgumentException("with no time granted the NOTIFY says terminated");
      }
      Duration granted = Duration.ofSeconds(expires.toSeconds());
      if (existing != null) {
        // Before anything leaves: a 2xx is always followed by its NOTIFY (RFC 6665 §4.2.1.2).
        existing.requireCanNotify(first.state());
      }
      claim();
      ServerSubscription subscription;
      if (existing == null) {
        subscription =
            new ServerSubscription(
                EventDialog.notifier(
                    incoming.id(),
                    incoming.presentity(),
                    incoming.watcher(),
                    watcherTag,
                    EventRequests.cseq(subscribe),
                    EventRequests.recordRoute(subscribe),
                    contact,
                    incoming.event(),
                    incoming.accept().isEmpty()
                        ? List.of(SubscribeRequest.PIDF)
                        : incoming.accept()));
        if (!granted.isZero()) {
          // Known before the 200 leaves: the subscriber may refresh as soon as it has it.
          subscriptions.put(incoming.id(), subscription);
        }
      } else {
        subscription = existing;
        subscription.refreshTarget(contact);
      }
      if (!responder.respond(
          Response.OK, "", requests.subscribeOk(incoming.id().localTag(), granted, via))) {
        if (existing == null) {
          subscriptions.remove(incoming.id(), subscription);
        }
        return;
      }
      if (!granted.isZero()) {
        scheduleExpiry(subscription, granted);
      }
      try {
        send(subscription, first);
      } catch (IllegalStateException e) {
        log.warn("{}: immediate NOTIFY not sent: {}", incoming.id(), e.getMessage());
      }
    }

    @Override
    public void reject(int statusCode, String reasonPhrase) {
      if (statusCode < 300 || statusCode > 699) {
        throw new IllegalArgumentException("not a refusal: " + statusCode);
      }
      claim();
      responder.respond(
          statusCode,
          Objects.requireNonNull(reasonPhrase, "reasonPhrase"),
          statusCode == Response.BAD_EVENT
              ? requests.allowEvents(SubscribeRequest.PRESENCE)
              : ServerResponder.Extra.NONE);
      if (existing != null && EventRequests.endsDialog(statusCode) && existing.end()) {
        subscriptions.remove(existing.id(), existing);
      }
    }

    private void claim() {
      if (!decided.compareAndSet(false, true) || responder.answered()) {
        throw new IllegalStateException("SUBSCRIBE " + incoming.id() + " was already answered");
      }
    }
  }
}
