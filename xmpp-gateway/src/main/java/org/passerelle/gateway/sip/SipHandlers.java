package org.passerelle.gateway.sip;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which requests the endpoint hands to the application, and to whom: MESSAGE (RFC 3428) to a {@link
 * MessageHandler}, SUBSCRIBE (RFC 6665, notifier role) to a {@link SubscriptionHandler}, NOTIFY
 * (subscriber role) to a {@link NotificationListener}. OPTIONS is always answered by the endpoint
 * itself; other methods without a handler get 405 or 501. Immutable; build with {@link #builder()}.
 */
public final class SipHandlers {

  /** RFC 3428 §4: every MESSAGE endpoint supports {@code text/plain}. */
  public static final Set<String> TEXT_PLAIN = Set.of("text/plain");

  private final Optional<MessageHandler> messageHandler;
  private final Set<String> messageMediaTypes;
  private final Optional<SubscriptionHandler> subscriptionHandler;
  private final Optional<NotificationListener> notificationListener;

  private SipHandlers(Builder b) {
    this.messageHandler = Optional.ofNullable(b.messageHandler);
    this.messageMediaTypes = Set.copyOf(b.messageMediaTypes);
    this.subscriptionHandler = Optional.ofNullable(b.subscriptionHandler);
    this.notificationListener = Optional.ofNullable(b.notificationListener);
  }

  /** No handlers: the endpoint only answers OPTIONS (and refuses the rest). */
  public static SipHandlers none() {
    return builder().build();
  }

  /** Only MESSAGE requests are handled; see {@link Builder#message}. */
  public static SipHandlers message(Set<String> mediaTypes, MessageHandler handler) {
    return builder().message(mediaTypes, handler).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The MESSAGE handler, if any. */
  public Optional<MessageHandler> messageHandler() {
    return messageHandler;
  }

  /** The media types the MESSAGE handler accepts; empty without one. */
  public Set<String> messageMediaTypes() {
    return messageMediaTypes;
  }

  /** Who decides on SUBSCRIBE requests for our domains (notifier role), if anyone. */
  public Optional<SubscriptionHandler> subscriptionHandler() {
    return subscriptionHandler;
  }

  /**
   * Who receives the NOTIFYs of the subscriptions we make (subscriber role), if anyone. Without
   * one, {@link SubscriptionClient} refuses to subscribe.
   */
  public Optional<NotificationListener> notificationListener() {
    return notificationListener;
  }

  /** Collects the handlers; each is optional. */
  public static final class Builder {
    private MessageHandler messageHandler;
    private Set<String> messageMediaTypes = Set.of();
    private SubscriptionHandler subscriptionHandler;
    private NotificationListener notificationListener;

    private Builder() {}

    /**
     * MESSAGE requests go to {@code handler} if their media type is one of {@code mediaTypes};
     * others are answered 415 with an Accept header listing them.
     *
     * @param mediaTypes {@code type/subtype}, without parameters
     */
    public Builder message(Set<String> mediaTypes, MessageHandler handler) {
      Objects.requireNonNull(handler, "handler");
      Set<String> types = new LinkedHashSet<>();
      for (String type : mediaTypes) {
        if (!type.matches("[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+")) {
          throw new IllegalArgumentException("not a type/subtype media type: " + type);
        }
        types.add(type.toLowerCase(Locale.ROOT));
      }
      if (types.isEmpty()) {
        throw new IllegalArgumentException("accept at least one media type");
      }
      this.messageHandler = handler;
      this.messageMediaTypes = types;
      return this;
    }

    /**
     * SUBSCRIBE requests for the presence package (RFC 3856) go to {@code handler}; the endpoint
     * itself answers other event packages 489 and an Accept without PIDF 406.
     */
    public Builder subscriptions(SubscriptionHandler handler) {
      this.subscriptionHandler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /** The NOTIFYs of our own subscriptions go to {@code listener}. */
    public Builder notifications(NotificationListener listener) {
      this.notificationListener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    public SipHandlers build() {
      return new SipHandlers(this);
    }
  }
}
