package org.passerelle.gateway.sip;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A NOTIFY received in one of our subscriptions (RFC 6665 §4.1.3), already answered 200. The
 * notifier sends the full state each time (RFC 3856 §6.7), so the latest one replaces the earlier
 * ones.
 *
 * @param subscription the subscription it belongs to
 * @param presentity the From URI: whose state this is
 * @param watcher the To URI: who asked
 * @param state the Subscription-State value
 * @param expires its {@code expires} parameter: how long the subscription still lasts, taken as
 *     authoritative (RFC 6665 §4.1.3); empty for {@code terminated}
 * @param reason its {@code reason} parameter, for {@code terminated}, if one we know
 * @param retryAfter its {@code retry-after} parameter, if any
 * @param contentType the body's media type, lower case, without parameters, e.g. {@code
 *     application/pidf+xml}; empty without a body (RFC 8048 §5.2.1: state unknown)
 * @param body the body, decoded with the Content-Type's charset (UTF-8 if none); empty if none
 * @param contentLanguage the Content-Language tag, if any (RFC 8048 §6.3: {@code xml:lang})
 */
public record Notification(
    SubscriptionId subscription,
    String presentity,
    String watcher,
    SubscriptionState state,
    Optional<Duration> expires,
    Optional<TerminationReason> reason,
    Optional<Duration> retryAfter,
    String contentType,
    String body,
    Optional<String> contentLanguage) {

  public Notification {
    Objects.requireNonNull(subscription, "subscription");
    Objects.requireNonNull(presentity, "presentity");
    Objects.requireNonNull(watcher, "watcher");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(expires, "expires");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(retryAfter, "retryAfter");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(contentLanguage, "contentLanguage");
  }

  /** Whether the NOTIFY carried a body. */
  public boolean hasBody() {
    return !contentType.isEmpty();
  }

  /** Leaves the body out: it is user content. */
  @Override
  public String toString() {
    return "Notification["
        + subscription
        + " "
        + presentity
        + " to "
        + watcher
        + ", "
        + state.token()
        + expires.map(e -> ";expires=" + e.toSeconds()).orElse("")
        + reason.map(r -> ";reason=" + r.token()).orElse("")
        + retryAfter.map(r -> ";retry-after=" + r.toSeconds()).orElse("")
        + (hasBody() ? ", " + contentType + ", " + body.length() + " chars" : ", no body")
        + "]";
  }
}
