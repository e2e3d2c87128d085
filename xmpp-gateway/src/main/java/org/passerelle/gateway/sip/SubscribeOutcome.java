package org.passerelle.gateway.sip;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The final response to a SUBSCRIBE we sent (initial, refresh, unsubscribe, fetch or resume), and
 * what it did to the subscription.
 *
 * @param id the subscription the request belongs to
 * @param response the final response; a received 202 counts as 200 (RFC 6665 §8.3.1)
 * @param expires the duration granted by a 2xx (its Expires, at most the one asked for, RFC 6665
 *     §4.2.1.1); empty for other responses
 * @param alive whether the subscription exists after this response: a 2xx to a request with a
 *     non-zero expiry, or a refresh error that leaves it valid until it expires (RFC 6665
 *     §4.1.2.2). After a fetch or an unsubscribe it is false, though the one last NOTIFY is still
 *     delivered to the {@link NotificationListener}.
 * @param dialog the dialog to persist for {@link SubscriptionClient#resume}, if one is established
 */
public record SubscribeOutcome(
    SubscriptionId id,
    SipResponseInfo response,
    Optional<Duration> expires,
    boolean alive,
    Optional<DialogState> dialog) {

  public SubscribeOutcome {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(expires, "expires");
    Objects.requireNonNull(dialog, "dialog");
  }

  /** Whether the notifier accepted the request (any 2xx). */
  public boolean isSuccess() {
    return response.isSuccess();
  }
}
