package org.passerelle.gateway.sip;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which request methods the endpoint hands to the application, and to whom. OPTIONS is always
 * answered by the endpoint itself; other methods without a handler get 405 or 501. Immutable;
 * SUBSCRIBE and NOTIFY (RFC 6665) will get their own handler types here.
 */
public final class SipHandlers {

  /** RFC 3428 §4: every MESSAGE endpoint supports {@code text/plain}. */
  public static final Set<String> TEXT_PLAIN = Set.of("text/plain");

  private final Optional<MessageHandler> messageHandler;
  private final Set<String> messageMediaTypes;

  private SipHandlers(Optional<MessageHandler> messageHandler, Set<String> messageMediaTypes) {
    this.messageHandler = messageHandler;
    this.messageMediaTypes = messageMediaTypes;
  }

  /** No handlers: the endpoint only answers OPTIONS (and refuses the rest). */
  public static SipHandlers none() {
    return new SipHandlers(Optional.empty(), Set.of());
  }

  /**
   * MESSAGE requests go to {@code handler} if their media type is one of {@code mediaTypes}; others
   * are answered 415 with an Accept header listing them.
   *
   * @param mediaTypes {@code type/subtype}, without parameters
   */
  public static SipHandlers message(Set<String> mediaTypes, MessageHandler handler) {
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
    return new SipHandlers(Optional.of(handler), Set.copyOf(types));
  }

  /** The MESSAGE handler, if any. */
  public Optional<MessageHandler> messageHandler() {
    return messageHandler;
  }

  /** The media types the MESSAGE handler accepts; empty without one. */
  public Set<String> messageMediaTypes() {
    return messageMediaTypes;
  }
}
