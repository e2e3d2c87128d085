package org.passerelle.gateway.sip;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A subscription to ask for (RFC 6665 §4.1.2.1): who watches whom, for which event package, in
 * which formats, for how long. Start from {@link #presence(String, String)}.
 *
 * @param presentity the resource watched: Request-URI and To, a {@code sip:} or {@code sips:} URI
 * @param watcher who watches: the From URI (RFC 8048 §5.2.1: the XMPP user's address as a SIP URI)
 * @param event the event package (Event header), e.g. {@value #PRESENCE}
 * @param accept the media types the notifications may use (Accept headers), at least one
 * @param expires how long the subscription should last (Expires); whole seconds, at least one —
 *     {@code Expires: 0} is {@link SubscriptionClient#fetch}
 */
public record SubscribeRequest(
    String presentity, String watcher, String event, List<String> accept, Duration expires) {

  /** The presence event package (RFC 3856 §6.1). */
  public static final String PRESENCE = "presence";

  /** PIDF (RFC 3863), which every presence subscriber and notifier supports (RFC 3856 §6.5). */
  public static final String PIDF = "application/pidf+xml";

  /** RFC 3856 §6.4: the default duration of a presence subscription. */
  public static final Duration DEFAULT_EXPIRES = Duration.ofHours(1);

  private static final Pattern MEDIA_TYPE =
      Pattern.compile("[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+");

  public SubscribeRequest {
    requireSipUri(presentity, "presentity");
    requireSipUri(watcher, "watcher");
    Objects.requireNonNull(event, "event");
    if (!HeaderSyntax.isToken(event)) { // RFC 3261 §25.1: event package names are tokens
      throw new IllegalArgumentException("not an event package name: " + event);
    }
    accept = List.copyOf(accept);
    if (accept.isEmpty()) {
      throw new IllegalArgumentException("accept at least one media type");
    }
    for (String type : accept) {
      if (!MEDIA_TYPE.matcher(type).matches()) {
        throw new IllegalArgumentException("not a type/subtype media type: " + type);
      }
    }
    Objects.requireNonNull(expires, "expires");
    if (expires.isNegative() || expires.toSeconds() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("expires out of range: " + expires);
    }
  }

  /**
   * A presence subscription (RFC 3856) accepting PIDF, for {@link #DEFAULT_EXPIRES}: what RFC 8048
   * §5.2.1 sends for an XMPP {@code subscribe}.
   */
  public static SubscribeRequest presence(String presentity, String watcher) {
    return new SubscribeRequest(presentity, watcher, PRESENCE, List.of(PIDF), DEFAULT_EXPIRES);
  }

  /** The same request for another duration. */
  public SubscribeRequest withExpires(Duration value) {
    return new SubscribeRequest(presentity, watcher, event, accept, value);
  }

  /** The same request for another event package (mostly to test 489 Bad Event). */
  public SubscribeRequest withEvent(String value) {
    return new SubscribeRequest(presentity, watcher, value, accept, expires);
  }

  /** The same request accepting other media types. */
  public SubscribeRequest withAccept(List<String> value) {
    return new SubscribeRequest(presentity, watcher, event, value, expires);
  }

  static void requireSipUri(String uri, String name) {
    Objects.requireNonNull(uri, name);
    String lower = uri.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("sip:") && !lower.startsWith("sips:")) {
      throw new IllegalArgumentException(name + " must be a sip: or sips: URI: " + uri);
    }
  }
}
