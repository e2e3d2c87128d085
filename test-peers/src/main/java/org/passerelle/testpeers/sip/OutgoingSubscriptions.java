package org.passerelle.testpeers.sip;

import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogState;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The subscriber side of a {@link SipTestClient} (RFC 6665 §4.1): its subscriptions by presentity,
 * each a dialog created by its SUBSCRIBE, in which refreshes and the unsubscribe go.
 */
final class OutgoingSubscriptions {

  private final String owner;
  private final SipProvider provider;
  private final OutgoingRequests requests;
  private final PendingTransactions pending;
  private final Map<String, Dialog> dialogs = new ConcurrentHashMap<>();

  OutgoingSubscriptions(
      String owner, SipProvider provider, OutgoingRequests requests, PendingTransactions pending) {
    this.owner = owner;
    this.provider = provider;
    this.requests = requests;
    this.pending = pending;
  }

  /** Sends {@code subscribe} (RFC 6665 §4.1.2.1); a 2xx keeps its dialog for {@code presentity}. */
  SipStatus subscribe(String presentityUri, Request subscribe, Duration timeout) {
    try {
      ClientTransaction transaction = provider.getNewClientTransaction(subscribe);
      Dialog dialog = provider.getNewDialog(transaction);
      Response response = pending.exchange(transaction, transaction::sendRequest, timeout);
      if (response.getStatusCode() < 300) {
        dialogs.put(presentityUri, dialog);
      }
      return SipStatus.of(response);
    } catch (SipException e) {
      throw new IllegalStateException(owner + ": cannot subscribe to " + presentityUri, e);
    }
  }

  /** A SUBSCRIBE in the dialog (RFC 6665 §4.1.2.2), which goes through its route set. */
  SipStatus refresh(String presentityUri, int expires, Duration timeout) {
    Dialog dialog = dialogs.get(presentityUri);
    if (dialog == null) {
      throw new IllegalStateException(owner + " has no subscription to " + presentityUri);
    }
    return subscribeInDialog(dialog, presentityUri, expires, timeout);
  }

  /** A SUBSCRIBE with expiry 0 in the dialog (RFC 6665 §4.1.2.3); forgets the subscription. */
  SipStatus unsubscribe(String presentityUri, Duration timeout) {
    Dialog dialog = dialogs.remove(presentityUri);
    if (dialog == null) {
      throw new IllegalStateException(owner + " has no subscription to " + presentityUri);
    }
    return subscribeInDialog(dialog, presentityUri, 0, timeout);
  }

  /** The presentities whose dialog the stack has not ended (e.g. on a terminated NOTIFY). */
  List<String> live() {
    return dialogs.entrySet().stream()
        .filter(subscription -> subscription.getValue().getState() != DialogState.TERMINATED)
        .map(Map.Entry::getKey)
        .toList();
  }

  /** Forgets every subscription without a word, as a crashed user agent would. */
  void forget() {
    dialogs.clear();
  }

  private SipStatus subscribeInDialog(
      Dialog dialog, String presentityUri, int expires, Duration timeout) {
    try {
      Request request = dialog.createRequest(Request.SUBSCRIBE);
      requests.addSubscriptionHeaders(request, expires);
      ClientTransaction transaction = provider.getNewClientTransaction(request);
      return SipStatus.of(
          pending.exchange(transaction, () -> dialog.sendRequest(transaction), timeout));
    } catch (SipException | ParseException e) {
      throw new IllegalStateException(
          owner + ": cannot send a SUBSCRIBE (expires " + expires + ") to " + presentityUri, e);
    }
  }
}
