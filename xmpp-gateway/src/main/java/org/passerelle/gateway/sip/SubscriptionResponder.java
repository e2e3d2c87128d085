package org.passerelle.gateway.sip;

import java.time.Duration;

/**
 * Answers one received SUBSCRIBE, exactly once, from any thread; its server transaction absorbs
 * retransmissions until then.
 */
public interface SubscriptionResponder {

  /**
   * Accepts: a 200 with {@code Expires: expires} and our Contact (never 202, RFC 6665 §8.3.1), then
   * at once the NOTIFY {@code first} (RFC 6665 §4.2.1.2). The subscription lasts {@code expires};
   * one not refreshed by then is ended with {@code terminated;reason=timeout} (RFC 6665 §4.2.1.4).
   *
   * @param expires at most what was asked for (RFC 6665 §4.2.1.1); zero for an unsubscribe or a
   *     poll
   * @param first the immediate NOTIFY; must be {@code terminated} when {@code expires} is zero
   * @throws IllegalArgumentException if {@code expires} exceeds the request's or the NOTIFY does
   *     not fit it
   * @throws IllegalStateException if the request was already answered, or the subscription cannot
   *     move to the NOTIFY's state (e.g. back to pending once active); nothing is sent
   */
  void accept(Duration expires, OutgoingNotification first);

  /**
   * Refuses with a final response of 300–699 and no NOTIFY, e.g. 403 or 603 (RFC 3856 §6.6). A
   * refresh refused with a code that ends dialogs (RFC 6665 §4.1.2.2) also ends the subscription;
   * after other codes it lasts until it expires.
   *
   * @throws IllegalArgumentException if the code is not 300–699
   * @throws IllegalStateException if the request was already answered
   */
  void reject(int statusCode, String reasonPhrase);
}
