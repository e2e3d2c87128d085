package org.passerelle.gateway.sip;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a NOTIFY we send says (RFC 6665 §4.2.2): the subscription's state and, optionally, a body
 * with the resource's full state. The {@code expires} parameter is added by the endpoint from the
 * subscription's remaining time. Build with the factory methods.
 *
 * @param state the Subscription-State value
 * @param reason the {@code reason} of {@code terminated}, if any (only with {@code terminated})
 * @param retryAfter the {@code retry-after} of {@code terminated}, if any, in whole seconds
 * @param contentType the body's media type, e.g. {@code application/pidf+xml}; empty for no body
 *     (RFC 8048 §5.3.1: pending, and the first {@code active}, carry none)
 * @param body the body, sent as UTF-8; empty exactly when {@code contentType} is
 * @param contentLanguage the Content-Language tag, if any (RFC 8048 §6.2: from {@code xml:lang})
 */
public record OutgoingNotification(
    SubscriptionState state,
    Optional<TerminationReason> reason,
    Optional<Duration> retryAfter,
    String contentType,
    String body,
    Optional<String> contentLanguage) {

  private static final Pattern MEDIA_TYPE =
      Pattern.compile("[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+");

  private static final Pattern LANGUAGE_TAG =
      Pattern.compile("[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*");

  public OutgoingNotification {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(retryAfter, "retryAfter");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(contentLanguage, "contentLanguage");
    if (state != SubscriptionState.TERMINATED && (reason.isPresent() || retryAfter.isPresent())) {
      throw new IllegalArgumentException("reason and retry-after go with terminated only");
    }
    retryAfter.ifPresent(
        r -> {
          if (r.isNegative() || r.toSeconds() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("retry-after out of range: " + r);
          }
        });
    if (contentType.isEmpty() != body.isEmpty()) {
      throw new IllegalArgumentException("a body needs a content type, and only a body has one");
    }
    if (!contentType.isEmpty() && !MEDIA_TYPE.matcher(contentType).matches()) {
      throw new IllegalArgumentException("not a type/subtype media type: " + contentType);
    }
    contentLanguage.ifPresent(
        tag -> {
          if (!LANGUAGE_TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("not a language tag: " + tag);
          }
        });
  }

  /** {@code pending}, no body: the watcher awaits authorisation (RFC 8048 §5.3.1). */
  public static OutgoingNotification pending() {
    return new OutgoingNotification(
        SubscriptionState.PENDING, Optional.empty(), Optional.empty(), "", "", Optional.empty());
  }

  /** {@code active}, no body: authorised, state not known yet (RFC 8048 §5.3.1, §5.3.2). */
  public static OutgoingNotification active() {
    return active("", "");
  }

  /** {@code active} with the resource's state, e.g. a PIDF document. */
  public static OutgoingNotification active(String contentType, String body) {
    return new OutgoingNotification(
        SubscriptionState.ACTIVE,
        Optional.empty(),
        Optional.empty(),
        contentType,
        body,
        Optional.empty());
  }

  /** {@code terminated;reason=…}, no body. */
  public static OutgoingNotification terminated(TerminationReason reason) {
    return terminated(reason, "", "");
  }

  /**
   * {@code terminated;reason=…} with a last state, e.g. a closed PIDF (RFC 8048 §5.3.3 answers an
   * unsubscribe that way).
   */
  public static OutgoingNotification terminated(
      TerminationReason reason, String contentType, String body) {
    return new OutgoingNotification(
        SubscriptionState.TERMINATED,
        Optional.of(Objects.requireNonNull(reason, "reason")),
        Optional.empty(),
        contentType,
        body,
        Optional.empty());
  }

  /** The same with a {@code retry-after} (only for {@code terminated}). */
  public OutgoingNotification withRetryAfter(Duration value) {
    return new OutgoingNotification(
        state, reason, Optional.of(value), contentType, body, contentLanguage);
  }

  /** The same with a Content-Language. */
  public OutgoingNotification withContentLanguage(String tag) {
    return new OutgoingNotification(state, reason, retryAfter, contentType, body, Optional.of(tag));
  }

  /** Whether the NOTIFY carries a body. */
  public boolean hasBody() {
    return !contentType.isEmpty();
  }

  /** Leaves the body out: it is user content. */
  @Override
  public String toString() {
    return "OutgoingNotification["
        + state.token()
        + reason.map(r -> ";reason=" + r.token()).orElse("")
        + (hasBody() ? ", " + contentType + ", " + body.length() + " chars" : ", no body")
        + "]";
  }
}
