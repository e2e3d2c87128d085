package org.passerelle.gateway.sip;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.text.ParseException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import javax.sip.address.SipURI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.EventHeader;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.passerelle.gateway.timers.Deadlines;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscriber role (RFC 6665 §4.1): sends SUBSCRIBEs, matches NOTIFYs to our subscriptions
 * (§4.4.1), answers them and tells the {@link NotificationListener}; runs Timer N and the expiry.
 *
 * <p>Initial SUBSCRIBEs go to the outbound proxy, if any, like MESSAGE. Requests inside a dialog go
 * where its route set and remote target say (RFC 3261 §12.2.1.1), never to the outbound proxy: a
 * proxy that wants to stay on the path record-routes.
 */
final class Subscriber implements SubscriptionClient {

  private static final Logger log = LoggerFactory.getLogger(Subscriber.class);

  private final SipSettings settings;
  private final EventRequests requests;
  private final RequestSender sender;
  private final SubscriptionTimers timers;
  private final Optional<NotificationListener> listener;
  private final Map<SubscriptionId, ClientSubscription> subscriptions = new ConcurrentHashMap<>();
  private final Deadlines<ClientSubscription> expiries;

  Subscriber(
      SipSettings settings,
      EventRequests requests,
      RequestSender sender,
      SubscriptionTimers timers,
      Optional<NotificationListener> listener) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.requests = Objects.requireNonNull(requests, "requests");
    this.sender = Objects.requireNonNull(sender, "sender");
    this.timers = Objects.requireNonNull(timers, "timers");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.expiries = timers.deadlines(this::onExpiryDue);
  }

  /** Timer N: 64 × T1 (RFC 6665 §4.1.2.4); also the grace we give a notifier after an expiry. */
  private Duration timerN() {
    return settings.transactionTimeout();
  }

  @Override
  public SubscriptionId newSubscriptionId() {
    return new SubscriptionId(MessageRequests.newCallId(), MessageRequests.newTag());
  }

  @Override
  public CompletionStage<SubscribeOutcome> subscribe(SubscriptionId id, SubscribeRequest request) {
    Objects.requireNonNull(request, "request");
    if (request.expires().isZero()) {
      throw new IllegalArgumentException("Expires: 0 in a new dialog is a fetch: use fetch()");
    }
    return start(id, request, request.expires());
  }

  @Override
  public CompletionStage<SubscribeOutcome> fetch(SubscriptionId id, SubscribeRequest request) {
    Objects.requireNonNull(request, "request");
    return start(id, request, Duration.ZERO);
  }

  private CompletionStage<SubscribeOutcome> start(
      SubscriptionId id, SubscribeRequest request, Duration expires) {
    Objects.requireNonNull(id, "id");
    requireListener();
    EventDialog dialog = EventDialog.subscriber(id, request);
    Request subscribe;
    try {
      subscribe = requests.initialSubscribe(dialog, expires);
    } catch (ParseException e) {
      return RequestSender.failed(SipSendException.Reason.INVALID_ADDRESS, e.getMessage());
    }
    ClientSubscription subscription = new ClientSubscription(dialog);
    if (subscriptions.putIfAbsent(id, subscription) != null) {
      throw new IllegalArgumentException("already subscribed as " + id);
    }
    subscription.setTimerN(timers.schedule(() -> onTimerN(subscription), timerN()));
    SipURI uri = (SipURI) subscribe.getRequestURI();
    SipServerAddress nextHop =
        settings.outboundProxy().orElseGet(() -> MessageRequests.serverOf(uri));
    log.debug("subscribing {} to {} for {} s", id, uri, expires.toSeconds());
    return sender
        .send(subscribe, nextHop, uri.isSecure(), this::setContact)
        .whenComplete((response, error) -> forgetIf(error != null, subscription))
        .thenApply(
            response -> {
              SubscribeOutcome outcome = subscription.onInitialResponse(response, expires);
              afterResponse(subscription, outcome);
              return outcome;
            });
  }

  @Override
  public CompletionStage<SubscribeOutcome> refresh(SubscriptionId id, Duration expires) {
    requirePositive(expires);
    ClientSubscription subscription = subscriptions.get(Objects.requireNonNull(id, "id"));
    if (subscription == null) {
      return noSubscription(id);
    }
    return refresh(subscription, expires, false);
  }

  @Override
  public CompletionStage<SubscribeOutcome> resume(DialogState dialog, Duration expires) {
    Objects.requireNonNull(dialog, "dialog");
    requirePositive(expires);
    requireListener();
    ClientSubscription subscription = new ClientSubscription(EventDialog.of(dialog));
    if (subscriptions.putIfAbsent(dialog.id(), subscription) != null) {
      throw new IllegalArgumentException("already subscribed as " + dialog.id());
    }
    log.debug("resuming {} in its dialog to {}", dialog.id(), dialog.remoteTarget());
    return refresh(subscription, expires, true);
  }

  /**
   * Sends a refresh. A resumed subscription that is not refreshed at once (no 2xx, or no answer) is
   * forgotten: the caller subscribes afresh.
   */
  private CompletionStage<SubscribeOutcome> refresh(
      ClientSubscription subscription, Duration expires, boolean resuming) {
    Request refresh;
    try {
      refresh = subscription.buildRefresh(requests, expires);
    } catch (IllegalStateException e) {
      forgetIf(resuming, subscription);
      return RequestSender.failed(SipSendException.Reason.NO_SUBSCRIPTION, e.getMessage());
    } catch (ParseException e) {
      forgetIf(resuming, subscription);
      return RequestSender.failed(SipSendException.Reason.INVALID_ADDRESS, e.getMessage());
    }
    return sendInDialog(refresh)
        .whenComplete((response, error) -> forgetIf(resuming && error != null, subscription))
        .thenApply(
            response -> {
              if (resuming && !EventRequests.isSuccess(response)) {
                subscription.end();
              }
              SubscribeOutcome outcome = subscription.onRefreshResponse(response, expires);
              afterResponse(subscription, outcome);
              return outcome;
            });
  }

  @Override
  public CompletionStage<SubscribeOutcome> unsubscribe(SubscriptionId id) {
    ClientSubscription subscription = subscriptions.get(Objects.requireNonNull(id, "id"));
    if (subscription == null) {
      return noSubscription(id);
    }
    Request unsubscribe;
    try {
      unsubscribe = subscription.buildUnsubscribe(requests);
    } catch (IllegalStateException e) {
      return RequestSender.failed(SipSendException.Reason.NO_SUBSCRIPTION, e.getMessage());
    } catch (ParseException e) {
      return RequestSender.failed(SipSendException.Reason.INVALID_ADDRESS, e.getMessage());
    }
    // The terminated NOTIFY should follow at once; we wait for it no longer than Timer N.
    subscription.setTimerN(timers.schedule(() -> onTimerN(subscription), timerN()));
    // Whatever the answer, we are done with it: a notifier that kept it gets 481 to its next
    // NOTIFY and removes it (RFC 6665 §4.2.2).
    return sendInDialog(unsubscribe)
        .whenComplete(
            (response, error) ->
                forgetIf(error != null || !EventRequests.isSuccess(response), subscription))
        .thenApply(subscription::onUnsubscribeResponse);
  }

  @Override
  public Optional<DialogState> dialogState(SubscriptionId id) {
    ClientSubscription subscription = subscriptions.get(Objects.requireNonNull(id, "id"));
    return subscription == null ? Optional.empty() : subscription.snapshot();
  }

  /** Handles a NOTIFY for one of our addresses (RFC 6665 §4.1.3). */
  void onNotify(Request notify, ServerResponder responder) {
    String callId = ((CallIdHeader) notify.getHeader(CallIdHeader.NAME)).getCallId();
    Optional<String> toTag = EventRequests.toTag(notify);
    ClientSubscription subscription =
        toTag.map(tag -> subscriptions.get(new SubscriptionId(callId, tag))).orElse(null);
    if (subscription == null) {
      responder.respond(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, "Subscription does not exist");
      return;
    }
    Optional<EventHeader> event = EventRequests.event(notify);
    if (event.isEmpty() || EventRequests.eventCount(notify) != 1) {
      responder.respond(Response.BAD_REQUEST, "Exactly one Event header (RFC 6665 §8.2.1)");
      return;
    }
    if (!event.get().getEventType().equalsIgnoreCase(subscription.event())
        || event.get().getEventId() != null) {
      // §4.4.1: the event is part of what a NOTIFY must match; we never subscribe with an id.
      responder.respond(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, "Subscription does not exist");
      return;
    }
    Optional<SubscriptionStateHeader> header = EventRequests.subscriptionState(notify);
    if (header.isEmpty()) {
      responder.respond(Response.BAD_REQUEST, "Missing Subscription-State (RFC 6665 §8.2.3)");
      return;
    }
    Optional<SubscriptionState> state = SubscriptionState.fromToken(header.get().getState());
    if (state.isEmpty()) {
      // An extension substate we do not know: acknowledged, changes nothing here.
      log.debug("{}: ignoring Subscription-State {}", subscription.id(), header.get().getState());
      responder.respond(Response.OK, "");
      return;
    }
    Optional<Body> body = body(notify, responder);
    if (body.isEmpty()) {
      return; // refused
    }
    switch (subscription.onNotify(notify, state.get())) {
      case NO_SUCH_DIALOG -> {
        responder.respond(
            Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, "Subscription does not exist");
        return;
      }
      case OUT_OF_ORDER -> {
        responder.respond(Response.SERVER_INTERNAL_ERROR, "CSeq out of order");
        return;
      }
      case ACCEPTED -> responder.respond(Response.OK, "");
    }
    Notification notification =
        notification(subscription.id(), notify, state.get(), header.get(), body.get());
    log.debug("received {}", notification);
    if (!subscription.isLive()) {
      forget(subscription);
    } else {
      notification.expires().ifPresent(expires -> scheduleExpiry(subscription, expires));
    }
    deliver(notification);
  }

  private record Body(String contentType, String text) {}

  /** The NOTIFY's body, decoded; empty if refused (413, 415 or 400 already sent). */
  private Optional<Body> body(Request notify, ServerResponder responder) {
    byte[] raw = notify.getRawContent();
    if (raw == null || raw.length == 0) {
      return Optional.of(new Body("", ""));
    }
    if (raw.length > settings.maxBodyBytes()) {
      responder.respond(Response.REQUEST_ENTITY_TOO_LARGE, ""); // RFC 3261 §21.4.11
      return Optional.empty();
    }
    ContentTypeHeader type = (ContentTypeHeader) notify.getHeader(ContentTypeHeader.NAME);
    if (type == null) {
      responder.respond(Response.BAD_REQUEST, "A body needs a Content-Type (RFC 3261 §20.15)");
      return Optional.empty();
    }
    try {
      return Optional.of(
          new Body(
              (type.getContentType() + "/" + type.getContentSubType()).toLowerCase(Locale.ROOT),
              InboundRequests.decode(raw, type.getParameter("charset"))));
    } catch (UnsupportedCharsetException | IllegalCharsetNameException e) {
      responder.respond(Response.UNSUPPORTED_MEDIA_TYPE, "Unsupported charset");
    } catch (CharacterCodingException e) {
      responder.respond(Response.BAD_REQUEST, "Body does not match its charset");
    }
    return Optional.empty();
  }

  private static Notification notification(
      SubscriptionId id,
      Request notify,
      SubscriptionState state,
      SubscriptionStateHeader header,
      Body body) {
    javax.sip.header.ContentLanguageHeader language =
        (javax.sip.header.ContentLanguageHeader)
            notify.getHeader(javax.sip.header.ContentLanguageHeader.NAME);
    return new Notification(
        id,
        EventRequests.fromUri(notify),
        EventRequests.toUri(notify),
        state,
        state != SubscriptionState.TERMINATED && header.getExpires() >= 0
            ? Optional.of(Duration.ofSeconds(header.getExpires()))
            : Optional.empty(),
        state == SubscriptionState.TERMINATED && header.getReasonCode() != null
            ? TerminationReason.fromToken(header.getReasonCode())
            : Optional.empty(),
        header.getRetryAfter() >= 0
            ? Optional.of(Duration.ofSeconds(header.getRetryAfter()))
            : Optional.empty(),
        body.contentType(),
        body.text(),
        Optional.ofNullable(language)
            .map(l -> ((gov.nist.javax.sip.header.ContentLanguage) l).getLanguageTag()));
  }

  private CompletableFuture<Response> sendInDialog(Request request) {
    return sender.send(
        request,
        EventRequests.nextHop(request),
        EventRequests.nextHopSecure(request),
        this::setContact);
  }

  private void setContact(Request request, SipTarget target) throws ParseException {
    requests.setContact(request, target.transport());
  }

  /**
   * After a final response: forget an ended subscription, (re)arm the expiry of a live one, or wait
   * no longer than Timer N for the last NOTIFY of one the notifier cut to zero.
   */
  private void afterResponse(ClientSubscription subscription, SubscribeOutcome outcome) {
    if (!subscription.isLive()) {
      forget(subscription);
    } else if (outcome.isSuccess() && outcome.alive()) {
      scheduleExpiry(subscription, outcome.expires().orElseThrow());
    } else if (subscription.state() == SubscriberState.UNSUBSCRIBING) {
      subscription.setTimerN(timers.schedule(() -> onTimerN(subscription), timerN()));
    }
    log.debug(
        "{}: {} {}, {}",
        subscription.id(),
        outcome.response().statusCode(),
        outcome.expires().map(e -> e.toSeconds() + " s").orElse(""),
        subscription.state());
  }

  /**
   * The notifier ends an unrefreshed subscription with a {@code timeout} NOTIFY (RFC 6665
   * §4.2.1.4); if that does not come within Timer N of the expiry, we end it ourselves.
   */
  private void scheduleExpiry(ClientSubscription subscription, Duration expires) {
    subscription.setExpiry(expires.plus(timerN()), expiries);
  }

  private void onExpiryDue(ClientSubscription subscription) {
    if (subscription.onExpiryDue(expiries.now())) {
      forget(subscription);
      report(subscription.id(), SubscriptionEnd.EXPIRED);
    }
  }

  private void onTimerN(ClientSubscription subscription) {
    boolean report = subscription.onTimerN();
    if (!subscription.isLive()) {
      forget(subscription);
    }
    if (report) {
      log.debug("{}: no NOTIFY within Timer N ({} ms)", subscription.id(), timerN().toMillis());
      report(subscription.id(), SubscriptionEnd.NO_NOTIFY);
    }
  }

  private void forgetIf(boolean condition, ClientSubscription subscription) {
    if (condition) {
      forget(subscription);
    }
  }

  private void forget(ClientSubscription subscription) {
    subscription.end();
    subscriptions.remove(subscription.id(), subscription);
  }

  private void deliver(Notification notification) {
    try {
      listener.orElseThrow().onNotification(notification);
    } catch (RuntimeException e) {
      log.error("notification listener failed on {}", notification, e);
    }
  }

  private void report(SubscriptionId id, SubscriptionEnd end) {
    try {
      listener.orElseThrow().onEnded(id, end);
    } catch (RuntimeException e) {
      log.error("notification listener failed on the end of {} ({})", id, end, e);
    }
  }

  private void requireListener() {
    if (listener.isEmpty()) {
      throw new IllegalStateException(
          "subscriptions need a NotificationListener (SipHandlers.Builder#notifications)");
    }
  }

  private static void requirePositive(Duration expires) {
    Objects.requireNonNull(expires, "expires");
    if (expires.toSeconds() < 1) {
      throw new IllegalArgumentException("expires must be at least one second: " + expires);
    }
  }

  private static CompletableFuture<SubscribeOutcome> noSubscription(SubscriptionId id) {
    return RequestSender.failed(SipSendException.Reason.NO_SUBSCRIPTION, "no subscription " + id);
  }
}
