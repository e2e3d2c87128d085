package org.passerelle.testpeers.sip;

import java.net.InetSocketAddress;
import java.text.ParseException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import javax.sip.ClientTransaction;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.header.ContactHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.passerelle.testpeers.Inbox;
import org.passerelle.testpeers.SipTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifier side of a {@link SipTestClient} that is its own presence agent (RFC 3856 §3, RFC
 * 8048 §4): every SUBSCRIBE it receives waits for the test's answer. One that starts a subscription
 * becomes an {@link IncomingSubscription}; one in the dialog of an accepted subscription goes to
 * that subscription; one in any other dialog is answered 481 (RFC 6665 §4.2.1.2).
 */
final class PresenceAgent {

  private static final Logger LOG = LoggerFactory.getLogger(PresenceAgent.class);

  private final String owner;
  private final String user;
  private final SipTransport preferred;
  private final SipFactories factories;
  private final PendingTransactions pending;
  private final Duration responseTimeout;
  private final Inbox<IncomingSubscription> subscriptions;

  /** Accepted subscriptions by {@link #dialogKey}, until a {@code terminated} NOTIFY. */
  private final Map<String, IncomingSubscription> dialogs = new ConcurrentHashMap<>();

  PresenceAgent(
      String owner,
      String user,
      SipTransport preferred,
      SipFactories factories,
      PendingTransactions pending,
      Duration responseTimeout) {
    this.owner = owner;
    this.user = user;
    this.preferred = preferred;
    this.factories = factories;
    this.pending = pending;
    this.responseTimeout = responseTimeout;
    this.subscriptions = new Inbox<>(owner, "SUBSCRIBE");
  }

  /** From the stack's threads: a SUBSCRIBE, retransmissions excepted. */
  void onSubscribe(RequestEvent event) {
    SipProvider provider = (SipProvider) event.getSource();
    Request request = event.getRequest();
    ServerTransaction transaction = event.getServerTransaction();
    try {
      if (transaction == null) {
        transaction = provider.getNewServerTransaction(request);
      }
    } catch (SipException e) {
      LOG.warn("{}: cannot take a SUBSCRIBE: {}", owner, e.toString());
      return;
    }
    PendingSubscribe subscribe =
        new PendingSubscribe(owner, factories, transaction, contact(provider));
    String toTag = ((ToHeader) request.getHeader(ToHeader.NAME)).getTag();
    if (toTag == null) {
      subscriptions.add(new IncomingSubscription(this, provider, subscribe));
      return;
    }
    IncomingSubscription subscription = dialogs.get(dialogKey(subscribe.request().callId(), toTag));
    if (subscription == null) {
      subscribe.answer(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
    } else {
      subscription.received(subscribe);
    }
  }

  /** See {@link SipTestClient#awaitSubscribe}. */
  IncomingSubscription await(Predicate<? super ReceivedRequest> match, Duration timeout) {
    Objects.requireNonNull(match, "match");
    return subscriptions.await(subscription -> match.test(subscription.request()), timeout);
  }

  /** A subscription was accepted: later SUBSCRIBEs with {@code key} belong to it. */
  void established(String key, IncomingSubscription subscription) {
    dialogs.put(key, subscription);
  }

  /** A {@code terminated} NOTIFY was sent: the dialog is over for us. */
  void ended(String key) {
    dialogs.remove(key);
  }

  /** Sends a request on {@code transaction} and waits for its final response. */
  SipStatus exchange(ClientTransaction transaction, PendingTransactions.Send send) {
    return SipStatus.of(pending.exchange(transaction, send, responseTimeout));
  }

  /** Our Contact, at the address the stack of {@code provider} listens on. */
  ContactHeader contact(SipProvider provider) {
    ListeningPoint point = provider.getListeningPoint(SipTransport.UDP.token());
    String uri =
        OutgoingRequests.contactUri(
            user, new InetSocketAddress(point.getIPAddress(), point.getPort()), preferred);
    try {
      return factories
          .headers()
          .createContactHeader(
              factories.addresses().createAddress(factories.addresses().createURI(uri)));
    } catch (ParseException e) {
      throw new IllegalStateException("bad contact " + uri, e);
    }
  }

  SipFactories factories() {
    return factories;
  }

  String owner() {
    return owner;
  }

  /** A dialog as the notifier knows it: Call-ID and its own tag (RFC 3261 §12). */
  static String dialogKey(String callId, String localTag) {
    return callId + ";" + localTag;
  }
}
