package org.passerelle.gateway.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.ToIntFunction;
import org.dom4j.Element;
import org.passerelle.gateway.im.ImEvents;
import org.passerelle.gateway.im.LinkSender;
import org.passerelle.gateway.link.LinkListener;
import org.passerelle.gateway.sip.SipSendException;
import org.passerelle.gateway.sip.SipTransactionEvents;
import org.passerelle.gateway.subscriptions.PresenceBridge.SubscriptionCounts;
import org.passerelle.model.Namespaces;
import org.passerelle.model.StanzaKind;
import org.passerelle.observability.ProcessMetrics;

/**
 * The gateway's meters. Counters and timers are registered at start, one per tag combination, in
 * arrays indexed by enum ordinal (SIP methods by a switch on the method name): recording is an
 * array read and a lock-free add, no tag lookup, no allocation. Timers have fixed buckets ({@link
 * ProcessMetrics#LATENCY_BUCKETS}) and compute no percentile.
 */
public final class GatewayMetrics implements ImEvents, SipTransactionEvents {
  static final String STANZAS = "passerelle.gateway.stanzas";
  static final String TRANSLATION = "passerelle.gateway.translation";
  static final String SIP_TRANSACTIONS = "passerelle.gateway.sip.transactions";
  static final String SUBSCRIPTIONS = "passerelle.gateway.presence.subscriptions";
  static final String PRESENCE_QUEUED = "passerelle.gateway.presence.queued";
  static final String STORE_QUEUED = "passerelle.gateway.store.queued";
  static final String LINK_UP = "passerelle.gateway.link.up";
  static final String SIP_IN_FLIGHT = "passerelle.gateway.im.sip.in.flight";
  static final String LINKS_PAUSED = "passerelle.gateway.link.paused";
  static final String SIP_STREAMS = "passerelle.gateway.sip.streams";
  static final String SIP_LISTENER_CONNECTIONS = "passerelle.gateway.sip.listener.connections";

  /** Which way stanzas cross the link. */
  enum LinkDirection {
    FROM_XMPP,
    TO_XMPP
  }

  /** The SIP methods the gateway sends or serves; anything else is {@code other}. */
  static final String[] METHODS = {"message", "subscribe", "notify", "options", "other"};

  /** Final response classes, then the ways a request can end without one. */
  static final String[] OUTCOMES = {"2xx", "3xx", "4xx", "5xx", "6xx", "timeout", "failed"};

  private static final int TIMEOUT = 5;
  private static final int FAILED = 6;
  private static final StanzaKind[] KINDS = StanzaKind.values();

  private final MeterRegistry registry;
  private final Counter[][] stanzas;
  private final Timer[][] translation;
  private final Counter[][][] transactions;
  private volatile SubscriptionCounts subscriptions = SubscriptionCounts.NONE;

  public GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
    stanzas = new Counter[LinkDirection.values().length][KINDS.length];
    for (LinkDirection direction : LinkDirection.values()) {
      for (StanzaKind kind : KINDS) {
        stanzas[direction.ordinal()][kind.ordinal()] =
            Counter.builder(STANZAS)
                .description("Stanzas taken from and handed to the link to the proxy")
                .tag("direction", tagValue(direction))
                .tag("kind", tagValue(kind))
                .register(registry);
      }
    }
    Duration[] buckets = ProcessMetrics.LATENCY_BUCKETS.toArray(Duration[]::new);
    translation = new Timer[ImEvents.Direction.values().length][2];
    for (ImEvents.Direction direction : ImEvents.Direction.values()) {
      for (int delivered = 0; delivered < 2; delivered++) {
        translation[direction.ordinal()][delivered] =
            Timer.builder(TRANSLATION)
                .description(
                    "From a message's arrival to its fate: the SIP answer (xmpp_to_sip), or the"
                        + " proxy taking it (sip_to_xmpp)")
                .tag("direction", tagValue(direction))
                .tag("outcome", delivered == 1 ? "delivered" : "failed")
                .serviceLevelObjectives(buckets)
                .register(registry);
      }
    }
    SipTransactionEvents.Role[] roles = SipTransactionEvents.Role.values();
    transactions = new Counter[roles.length][METHODS.length][OUTCOMES.length];
    for (SipTransactionEvents.Role role : roles) {
      for (int method = 0; method < METHODS.length; method++) {
        for (int outcome = 0; outcome < OUTCOMES.length; outcome++) {
          if (role == Role.SERVER && outcome >= TIMEOUT) {
            continue; // the gateway always answers what it receives
          }
          transactions[role.ordinal()][method][outcome] =
              Counter.builder(SIP_TRANSACTIONS)
                  .description("SIP transactions by role, method and how they ended")
                  .tag("role", tagValue(role))
                  .tag("method", METHODS[method])
                  .tag("status", OUTCOMES[outcome])
                  .register(registry);
        }
      }
    }
    subscriptionGauge("xmpp_watches_sip", "granted", c -> c.xmppWatchingSipGranted());
    subscriptionGauge("xmpp_watches_sip", "pending", c -> c.xmppWatchingSipPending());
    subscriptionGauge("sip_watches_xmpp", "granted", c -> c.sipWatchingXmppGranted());
    subscriptionGauge("sip_watches_xmpp", "pending", c -> c.sipWatchingXmppPending());
  }

  private void subscriptionGauge(
      String direction, String state, ToIntFunction<SubscriptionCounts> count) {
    Gauge.builder(SUBSCRIPTIONS, this, m -> count.applyAsInt(m.subscriptions))
        .description("Presence subscriptions across the gateway, by who watches and their state")
        .tag("direction", direction)
        .tag("state", state)
        .strongReference(true)
        .register(registry);
  }

  /** A gauge read when scraped; the registry holds {@code value} (a lambda nobody else holds). */
  void gauge(String name, String description, IntSupplier value) {
    Gauge.builder(name, value, IntSupplier::getAsInt)
        .description(description)
        .strongReference(true)
        .register(registry);
  }

  /** The link's state for one domain: 1 attached, 0 not. */
  void linkGauge(String domain, BooleanSupplier up) {
    Gauge.builder(LINK_UP, up, u -> u.getAsBoolean() ? 1 : 0)
        .description("Whether the link to the proxy is attached, per domain")
        .tag("domain", domain)
        .strongReference(true)
        .register(registry);
  }

  /** The presence subscription counts the gauges show until the next call. */
  void subscriptions(SubscriptionCounts counts) {
    this.subscriptions = counts;
  }

  SubscriptionCounts subscriptions() {
    return subscriptions;
  }

  /** {@code link}, counting each stanza sent to the XMPP side. */
  public LinkSender countingSent(LinkSender link) {
    Counter[] toXmpp = stanzas[LinkDirection.TO_XMPP.ordinal()];
    return stanza -> {
      count(toXmpp, stanza);
      return link.send(stanza);
    };
  }

  /** {@code listener}, counting each stanza that comes from the XMPP side. */
  public LinkListener countingReceived(LinkListener listener) {
    Counter[] fromXmpp = stanzas[LinkDirection.FROM_XMPP.ordinal()];
    return new LinkListener() {
      @Override
      public void onStanza(Element stanza) {
        count(fromXmpp, stanza);
        listener.onStanza(stanza);
      }

      @Override
      public void onLinkUp() {
        listener.onLinkUp();
      }

      @Override
      public void onLinkDown() {
        listener.onLinkDown();
      }
    };
  }

  private static void count(Counter[] byKind, Element stanza) {
    StanzaKind kind = StanzaKind.of(stanza, Namespaces.SERVER);
    if (kind != null) {
      byKind[kind.ordinal()].increment();
    }
  }

  /** Stanzas counted so far, by kind, one way (the status page). */
  Map<StanzaKind, Long> stanzaCounts(LinkDirection direction) {
    Map<StanzaKind, Long> counts = new LinkedHashMap<>();
    for (StanzaKind kind : KINDS) {
      counts.put(kind, (long) stanzas[direction.ordinal()][kind.ordinal()].count());
    }
    return counts;
  }

  /** The translation timer of one direction and outcome (the status page). */
  Timer translation(ImEvents.Direction direction, boolean delivered) {
    return translation[direction.ordinal()][delivered ? 1 : 0];
  }

  /** SIP transactions that happened, as "role method status" → count (the status page). */
  Map<String, Long> transactionCounts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (SipTransactionEvents.Role role : SipTransactionEvents.Role.values()) {
      for (int method = 0; method < METHODS.length; method++) {
        for (int outcome = 0; outcome < OUTCOMES.length; outcome++) {
          Counter counter = transactions[role.ordinal()][method][outcome];
          if (counter != null && counter.count() > 0) {
            counts.put(
                tagValue(role)
                    + " "
                    + METHODS[method].toUpperCase(Locale.ROOT)
                    + " "
                    + OUTCOMES[outcome],
                (long) counter.count());
          }
        }
      }
    }
    return counts;
  }

  static String tagValue(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  // --- observer interfaces: called on the link's loop and SIP threads ---

  @Override
  public void translated(ImEvents.Direction direction, boolean delivered, long nanos) {
    translation[direction.ordinal()][delivered ? 1 : 0].record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void answered(Role role, String method, int status) {
    int outcome = status >= 200 && status < 700 ? status / 100 - 2 : FAILED;
    Counter counter = transactions[role.ordinal()][method(method)][outcome];
    if (counter != null) {
      counter.increment();
    }
  }

  @Override
  public void failed(String method, SipSendException.Reason reason) {
    int outcome = reason == SipSendException.Reason.TIMEOUT ? TIMEOUT : FAILED;
    transactions[Role.CLIENT.ordinal()][method(method)][outcome].increment();
  }

  private static int method(String method) {
    return switch (method) {
      case "MESSAGE" -> 0;
      case "SUBSCRIBE" -> 1;
      case "NOTIFY" -> 2;
      case "OPTIONS" -> 3;
      default -> 4;
    };
  }
}
