package org.passerelle.testpeers.sip;

import java.text.ParseException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * A SUBSCRIBE that a {@link SipTestClient} acting as its own presence agent received, waiting for
 * the test to answer it: the request that starts a subscription (RFC 6665 §4.2.1.1), or a refresh
 * (§4.2.1.2) or an unsubscribe (Expires: 0, §4.2.1.3) in its dialog. Retransmissions are absorbed
 * meanwhile.
 */
public final class PendingSubscribe {

  /** RFC 3856 §6.4: the duration of a presence subscription whose SUBSCRIBE names none. */
  static final int DEFAULT_EXPIRES_SECONDS = 3600;

  private final String owner;
  private final SipFactories factories;
  private final ServerTransaction transaction;
  private final ContactHeader contact;
  private final ReceivedRequest request;
  private final String localTag;
  private final AtomicBoolean answered = new AtomicBoolean();

  PendingSubscribe(
      String owner, SipFactories factories, ServerTransaction transaction, ContactHeader contact) {
    this.owner = owner;
    this.factories = factories;
    this.transaction = transaction;
    this.contact = contact;
    this.request = ReceivedRequest.of(transaction.getRequest());
    String toTag = ((ToHeader) transaction.getRequest().getHeader(ToHeader.NAME)).getTag();
    // RFC 3261 §8.2.6.2: the UAS adds a To tag; for a 2xx, it is the notifier's side of the dialog.
    this.localTag = toTag != null ? toTag : UUID.randomUUID().toString().substring(0, 8);
  }

  /** The SUBSCRIBE as received. */
  public ReceivedRequest request() {
    return request;
  }

  /** The duration it asks for (RFC 6665 §4.1.2.1); 3600 s if it names none; zero to end. */
  public Duration expires() {
    return Duration.ofSeconds(requestedSeconds());
  }

  /**
   * Answers it with {@code status}. A 2xx (200 or 202) grants the duration asked for and carries
   * the client's Contact (RFC 6665 §4.2.1.1); any other final status refuses it, e.g. 403 or 603,
   * or 481 in a dialog the notifier no longer knows (§4.2.1.2).
   *
   * @throws IllegalStateException if it was answered already
   */
  public void answer(int status) {
    if (status < 200 || status > 699) {
      throw new IllegalArgumentException("not a final status code: " + status);
    }
    if (!answered.compareAndSet(false, true)) {
      throw answeredAlready();
    }
    try {
      Response response = factories.messages().createResponse(status, transaction.getRequest());
      ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(localTag);
      if (status < 300) {
        response.setHeader(factories.headers().createExpiresHeader(requestedSeconds()));
        response.setHeader(contact);
      }
      transaction.sendResponse(response);
    } catch (ParseException | InvalidArgumentException | SipException e) {
      throw new IllegalStateException(owner + " cannot answer " + status + " to " + request, e);
    }
  }

  /** Throws if it was answered already, before the caller prepares an answer. */
  void requireUnanswered() {
    if (answered.get()) {
      throw answeredAlready();
    }
  }

  /** The To tag of the answer: the notifier's side of the dialog a 2xx creates. */
  String localTag() {
    return localTag;
  }

  /** The transaction the SUBSCRIBE came in, for the dialog a 2xx to it creates. */
  ServerTransaction transaction() {
    return transaction;
  }

  private IllegalStateException answeredAlready() {
    return new IllegalStateException(owner + " answered this SUBSCRIBE already: " + request);
  }

  private int requestedSeconds() {
    Request raw = transaction.getRequest();
    ExpiresHeader expires = raw.getExpires();
    return expires == null ? DEFAULT_EXPIRES_SECONDS : expires.getExpires();
  }

  @Override
  public String toString() {
    return request.toString();
  }
}
