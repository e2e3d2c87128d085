package org.passerelle.gateway.sip;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A SUBSCRIBE for one of our domains (RFC 6665 §4.2.1), already checked: presence package, PIDF
 * acceptable. Answer it through the {@link SubscriptionResponder} handed over with it.
 *
 * @param id the subscription dialog this request belongs to or will create
 * @param kind whether it starts, refreshes, ends or polls a subscription
 * @param requestUri the Request-URI
 * @param presentity the To URI: whose state is asked for
 * @param watcher the From URI: who asks
 * @param event the event package, {@value SubscribeRequest#PRESENCE}
 * @param accept the media types of its Accept headers, lower case; empty if it had none (then PIDF
 *     is implied, RFC 3856 §6.5)
 * @param expires the duration asked for (RFC 3856 §6.4: one hour when absent); zero for {@link
 *     Kind#UNSUBSCRIBE} and {@link Kind#POLL}
 * @param source where the request came from (the previous hop, usually the SIP server)
 * @param transport the transport it came over
 */
public record IncomingSubscription(
    SubscriptionId id,
    Kind kind,
    String requestUri,
    String presentity,
    String watcher,
    String event,
    List<String> accept,
    Duration expires,
    InetSocketAddress source,
    SipTransport transport) {

  /** What a SUBSCRIBE asks for (RFC 6665 §4.2.1; standards.md §2 tells cancel from poll). */
  public enum Kind {
    /** A new dialog with a non-zero expiry: start a subscription (RFC 6665 §4.2.1.1). */
    NEW,
    /** Inside an existing dialog, non-zero expiry: extend it (RFC 6665 §4.2.1.2). */
    REFRESH,
    /**
     * Inside an existing dialog, {@code Expires: 0}: end it (RFC 6665 §4.2.1.3; RFC 8048 §5.3.3).
     */
    UNSUBSCRIBE,
    /**
     * A new dialog with {@code Expires: 0}: a one-time fetch of the state (RFC 6665 §4.4.3; RFC
     * 8048 §7.2).
     */
    POLL
  }

  public IncomingSubscription {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(requestUri, "requestUri");
    Objects.requireNonNull(presentity, "presentity");
    Objects.requireNonNull(watcher, "watcher");
    Objects.requireNonNull(event, "event");
    accept = List.copyOf(accept);
    Objects.requireNonNull(expires, "expires");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(transport, "transport");
  }
}
