package org.passerelle.testpeers.sip;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.message.Request;
import org.passerelle.testpeers.Inbox;

/**
 * A subscription to the presence of a {@link SipTestClient} that acts as its own presence agent
 * (RFC 3856 §3, RFC 8048 §4), seen from the notifier's side (RFC 6665 §4.2): the test answers the
 * SUBSCRIBE, sends the NOTIFYs and answers the later SUBSCRIBEs of the dialog.
 *
 * <pre>{@code
 * IncomingSubscription watcher = alice.awaitSubscribe(s -> s.from().equals(BOB), WAIT);
 * watcher.answer(202);
 * assertThat(watcher.notify("pending", Optional.empty()).code()).isEqualTo(200);
 * assertThat(watcher.notify("active;expires=600", Optional.of(pidf)).code()).isEqualTo(200);
 * PendingSubscribe refresh = watcher.awaitSubscribe(s -> true, WAIT);
 * refresh.answer(200);
 * }</pre>
 */
public final class IncomingSubscription {

  private final PresenceAgent agent;
  private final SipProvider provider;
  private final PendingSubscribe initial;
  private final Inbox<PendingSubscribe> laterSubscribes;
  private volatile Dialog dialog;
  private volatile String dialogKey;

  IncomingSubscription(PresenceAgent agent, SipProvider provider, PendingSubscribe initial) {
    this.agent = agent;
    this.provider = provider;
    this.initial = initial;
    this.laterSubscribes =
        new Inbox<>(agent.owner(), "SUBSCRIBE in the dialog of " + initial.request().callId());
  }

  /** The SUBSCRIBE that started it. */
  public ReceivedRequest request() {
    return initial.request();
  }

  /**
   * Answers the SUBSCRIBE that started it (RFC 6665 §4.2.1.1): 200 or 202 accepts it and creates
   * the dialog the NOTIFYs go in, any other final status (e.g. 403, 603) refuses it.
   *
   * @throws IllegalStateException if it was answered already
   */
  public void answer(int status) {
    if (status < 200 || status >= 300) {
      initial.answer(status);
      return;
    }
    initial.requireUnanswered();
    try {
      // The 2xx creates the dialog; its route set is the SUBSCRIBE's Record-Route (RFC 3261
      // §12.1.1), so the NOTIFYs pass the proxies that asked to stay on the path.
      dialog = provider.getNewDialog(initial.transaction());
    } catch (SipException e) {
      throw new IllegalStateException(agent.owner() + " cannot create the dialog of " + this, e);
    }
    // Known before the 2xx leaves, so that no refresh can come first.
    dialogKey = PresenceAgent.dialogKey(request().callId(), initial.localTag());
    agent.established(dialogKey, this);
    try {
      initial.answer(status);
    } catch (RuntimeException e) {
      agent.ended(dialogKey);
      throw e;
    }
  }

  /**
   * Sends a NOTIFY in the dialog (RFC 6665 §4.2.2), with its tags, its route set and the next CSeq:
   * Event as in the SUBSCRIBE, {@code subscriptionState} as its Subscription-State, e.g. {@code
   * pending}, {@code active;expires=3600} or {@code terminated;reason=rejected} (§8.2.3), and
   * {@code pidf}, if any, as an {@code application/pidf+xml} body (RFC 3863). A {@code terminated}
   * state ends the dialog here: a later SUBSCRIBE in it is answered 481.
   *
   * @return the final response, or 408/503 if none came
   * @throws IllegalStateException if the SUBSCRIBE was not accepted with a 2xx
   */
  public SipStatus notify(String subscriptionState, Optional<String> pidf) {
    Objects.requireNonNull(subscriptionState, "subscriptionState");
    Objects.requireNonNull(pidf, "pidf");
    Dialog current = dialog;
    if (current == null) {
      throw new IllegalStateException("answer the SUBSCRIBE with a 2xx first: " + this);
    }
    SipStatus status;
    try {
      Request notify = current.createRequest(Request.NOTIFY);
      SipFactories factories = agent.factories();
      // RFC 6665 §8.2.1: the Event of the SUBSCRIBE, with its id parameter if any.
      String event = request().event().isEmpty() ? "presence" : request().event();
      notify.setHeader(factories.headers().createHeader("Event", event));
      notify.setHeader(
          factories.headers().createHeader(SubscriptionStateHeader.NAME, subscriptionState));
      notify.setHeader(agent.contact(provider));
      if (pidf.isPresent()) {
        notify.setContent(
            pidf.get().getBytes(StandardCharsets.UTF_8),
            factories.headers().createContentTypeHeader("application", "pidf+xml"));
      }
      ClientTransaction transaction = provider.getNewClientTransaction(notify);
      status = agent.exchange(transaction, () -> current.sendRequest(transaction));
    } catch (ParseException e) {
      throw new IllegalArgumentException(
          "cannot build a NOTIFY with Subscription-State " + subscriptionState, e);
    } catch (SipException e) {
      throw new IllegalStateException(agent.owner() + " cannot notify " + this, e);
    }
    if (subscriptionState.strip().toLowerCase(Locale.ROOT).startsWith("terminated")) {
      agent.ended(dialogKey);
    }
    return status;
  }

  /**
   * Waits for a SUBSCRIBE received in the dialog after the first, a refresh (RFC 6665 §4.2.1.2) or
   * an unsubscribe (Expires: 0, §4.2.1.3), that matches {@code match}; the test answers it. One
   * left unanswered ends with a 408 from the subscriber's side.
   *
   * @throws AssertionError on timeout, listing what did arrive
   */
  public PendingSubscribe awaitSubscribe(
      Predicate<? super ReceivedRequest> match, Duration timeout) {
    Objects.requireNonNull(match, "match");
    return laterSubscribes.await(subscribe -> match.test(subscribe.request()), timeout);
  }

  /** From the stack: a SUBSCRIBE in the dialog. */
  void received(PendingSubscribe subscribe) {
    laterSubscribes.add(subscribe);
  }

  @Override
  public String toString() {
    return "subscription of " + request().from() + " (Call-ID " + request().callId() + ")";
  }
}
