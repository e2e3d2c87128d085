package org.passerelle.proxy.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.passerelle.model.StanzaKind;
import org.passerelle.model.errors.StanzaCondition;
import org.passerelle.proxy.link.GatewayLinks;
import org.passerelle.proxy.link.LinkEvents;
import org.passerelle.proxy.policy.FederationGate;
import org.passerelle.proxy.policy.PartnerPolicy;
import org.passerelle.proxy.policy.PolicyDecision;
import org.passerelle.proxy.policy.PolicyEvents;
import org.passerelle.proxy.routing.RoutingEvents;
import org.passerelle.proxy.s2s.OutboundStreams;
import org.passerelle.proxy.s2s.S2sEvents;
import org.passerelle.proxy.s2s.S2sStream;

/**
 * The proxy's meters. Counters are registered at start, one per tag combination, in arrays indexed
 * by enum ordinal: counting a stanza is an array read and a lock-free add, no tag lookup, no
 * allocation. Gauges about state that event loops own (streams, queues) are computed when
 * Prometheus scrapes, from views those loops publish.
 *
 * <p>Partner tags are bounded: a stream is counted under its partner's name (federation.partners)
 * or under {@value #OTHER}, whatever domain discovered federation brings.
 */
public final class ProxyMetrics implements S2sEvents, LinkEvents, RoutingEvents, PolicyEvents {
  /** The partner tag of every domain that is not a listed partner. */
  public static final String OTHER = "other";

  static final String STREAMS = "passerelle.proxy.s2s.streams";
  static final String S2S_STANZAS = "passerelle.proxy.s2s.stanzas";
  static final String LINK_STANZAS = "passerelle.proxy.link.stanzas";
  static final String BOUNCES = "passerelle.proxy.bounces";
  static final String REFUSALS = "passerelle.proxy.policy.refusals";
  static final String OUTBOUND_QUEUED = "passerelle.proxy.s2s.outbound.queued";
  static final String LINK_HELD = "passerelle.proxy.link.held";
  static final String LINK_GATEWAYS = "passerelle.proxy.link.gateways";
  static final String LINK_IN_FLIGHT = "passerelle.proxy.link.in.flight";

  private static final StanzaKind[] KINDS = StanzaKind.values();

  /** Where stanzas are counted: the S2S border and the link, both ways. */
  enum Flow {
    INBOUND(S2S_STANZAS, "inbound"),
    OUTBOUND(S2S_STANZAS, "outbound"),
    TO_GATEWAY(LINK_STANZAS, "to_gateway"),
    FROM_GATEWAY(LINK_STANZAS, "from_gateway");

    final String meter;
    final String direction;

    Flow(String meter, String direction) {
      this.meter = meter;
      this.direction = direction;
    }
  }

  private final MeterRegistry registry;
  private final Counter[][] stanzas;
  private final Counter[] received;
  private final Counter[] sent;
  private final Counter[] toGateway;
  private final Counter[] fromGateway;
  private final Counter[] bounces;
  private final Counter[] refusals;
  private final Set<S2sStream> streams = ConcurrentHashMap.newKeySet();
  private final MultiGauge streamGauge;
  private volatile FederationGate federation;

  public ProxyMetrics(MeterRegistry registry) {
    this.registry = registry;
    stanzas = new Counter[Flow.values().length][];
    for (Flow flow : Flow.values()) {
      stanzas[flow.ordinal()] = byKind(flow);
    }
    received = stanzas[Flow.INBOUND.ordinal()];
    sent = stanzas[Flow.OUTBOUND.ordinal()];
    toGateway = stanzas[Flow.TO_GATEWAY.ordinal()];
    fromGateway = stanzas[Flow.FROM_GATEWAY.ordinal()];
    StanzaCondition[] conditions = StanzaCondition.values();
    bounces = new Counter[conditions.length];
    for (StanzaCondition condition : conditions) {
      bounces[condition.ordinal()] =
          Counter.builder(BOUNCES)
              .description("Stanzas that could not be delivered, by the error that answered them")
              .tag("condition", condition.elementName())
              .register(registry);
    }
    PolicyDecision.Reason[] reasons = PolicyDecision.Reason.values();
    refusals = new Counter[reasons.length];
    for (PolicyDecision.Reason reason : reasons) {
      if (!reason.allows()) {
        refusals[reason.ordinal()] =
            Counter.builder(REFUSALS)
                .description("Streams, sessions and stanzas the federation policy refused")
                .tag("reason", tagValue(reason))
                .register(registry);
      }
    }
    streamGauge =
        MultiGauge.builder(STREAMS)
            .description("Server-to-server connections by direction, state and partner")
            .register(registry);
  }

  private Counter[] byKind(Flow flow) {
    Counter[] counters = new Counter[KINDS.length];
    for (StanzaKind kind : KINDS) {
      counters[kind.ordinal()] =
          Counter.builder(flow.meter)
              .description(
                  flow.meter.equals(S2S_STANZAS)
                      ? "Stanzas received from and sent to remote servers"
                      : "Stanzas handed to and taken from gateways")
              .tag("direction", flow.direction)
              .tag("kind", tagValue(kind))
              .register(registry);
    }
    return counters;
  }

  /**
   * Registers the gauges that read the proxy's state, once it is assembled.
   *
   * @param links the attached gateways, or {@code null} without a link
   */
  void watch(
      FederationGate gate, OutboundStreams outbound, GatewayLinks links, Set<String> domains) {
    this.federation = gate;
    Gauge.builder(OUTBOUND_QUEUED, outbound, OutboundStreams::queued)
        .description("Stanzas waiting for an outbound stream to be established")
        .strongReference(true)
        .register(registry);
    if (links != null) {
      for (String domain : domains) {
        Gauge.builder(LINK_HELD, links, l -> l.heldCount(domain))
            .description("Stanzas for a local domain waiting for a gateway to attach")
            .tag("domain", domain)
            .strongReference(true)
            .register(registry);
        Gauge.builder(LINK_IN_FLIGHT, links, l -> l.inFlightCount(domain))
            .description(
                "Stanzas sent to a local domain's gateways and not yet acknowledged (link.window)")
            .tag("domain", domain)
            .strongReference(true)
            .register(registry);
        Gauge.builder(LINK_GATEWAYS, links, l -> l.attachedCount(domain))
            .description("Gateways attached for a local domain")
            .tag("domain", domain)
            .strongReference(true)
            .register(registry);
      }
    }
  }

  /** Recomputes the stream gauge from the streams open now; called before each scrape. */
  void refresh() {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    streamCounts()
        .forEach(
            (partner, counts) ->
                counts.forEach(
                    (key, count) ->
                        rows.add(
                            MultiGauge.Row.of(
                                Tags.of(
                                    "direction", tagValue(key.direction()),
                                    "state", tagValue(key.phase()),
                                    "partner", partner),
                                count))));
    streamGauge.register(rows, true);
  }

  /** Direction and state of a stream, one gauge row per partner. */
  record StreamKey(S2sStream.Direction direction, S2sStream.Phase phase) {}

  /**
   * Open streams counted by partner (every listed partner and {@value #OTHER}, zeros included),
   * then by direction and state.
   */
  Map<String, Map<StreamKey, Integer>> streamCounts() {
    Map<String, Map<StreamKey, Integer>> counts = new LinkedHashMap<>();
    if (federation != null) {
      for (PartnerPolicy partner : federation.policy().partners()) {
        counts.put(partner.name(), zeros());
      }
    }
    counts.put(OTHER, zeros());
    for (S2sStream stream : streams) {
      S2sStream.Phase phase = stream.phase();
      if (phase == S2sStream.Phase.CLOSED) {
        continue;
      }
      counts
          .computeIfAbsent(partnerOf(stream.remote()), p -> zeros())
          .merge(new StreamKey(stream.direction(), phase), 1, Integer::sum);
    }
    return counts;
  }

  private static Map<StreamKey, Integer> zeros() {
    Map<StreamKey, Integer> zeros = new LinkedHashMap<>();
    for (S2sStream.Direction direction : S2sStream.Direction.values()) {
      zeros.put(new StreamKey(direction, S2sStream.Phase.NEGOTIATING), 0);
      zeros.put(new StreamKey(direction, S2sStream.Phase.ESTABLISHED), 0);
    }
    return zeros;
  }

  /** The partner tag of a remote domain: its partner's name, or {@value #OTHER}. */
  String partnerOf(String remoteDomain) {
    if (remoteDomain == null || federation == null) {
      return OTHER;
    }
    PolicyDecision decision = federation.policy().decide(remoteDomain);
    return decision.reason() == PolicyDecision.Reason.PARTNER ? decision.partner().name() : OTHER;
  }

  /** The streams open now. */
  List<S2sStream> streams() {
    return List.copyOf(streams);
  }

  /** Stanzas counted so far, by kind, at one place (the status page). */
  Map<StanzaKind, Long> counts(Flow flow) {
    Map<StanzaKind, Long> counts = new EnumMap<>(StanzaKind.class);
    for (StanzaKind kind : KINDS) {
      counts.put(kind, (long) stanzas[flow.ordinal()][kind.ordinal()].count());
    }
    return counts;
  }

  /** Bounces so far by condition, those that happened only. */
  Map<String, Long> bounceCounts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (StanzaCondition condition : StanzaCondition.values()) {
      long count = (long) bounces[condition.ordinal()].count();
      if (count > 0) {
        counts.put(condition.elementName(), count);
      }
    }
    return counts;
  }

  /** Policy refusals so far by reason, those that happened only. */
  Map<String, Long> refusalCounts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (PolicyDecision.Reason reason : PolicyDecision.Reason.values()) {
      Counter counter = refusals[reason.ordinal()];
      if (counter != null && counter.count() > 0) {
        counts.put(tagValue(reason), (long) counter.count());
      }
    }
    return counts;
  }

  static String tagValue(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  // --- observer interfaces: called on event loops ---

  @Override
  public void streamOpened(S2sStream stream) {
    streams.add(stream);
  }

  @Override
  public void streamClosed(S2sStream stream) {
    streams.remove(stream);
  }

  @Override
  public void stanzaReceived(StanzaKind kind) {
    received[kind.ordinal()].increment();
  }

  @Override
  public void stanzaSent(StanzaKind kind) {
    sent[kind.ordinal()].increment();
  }

  @Override
  public void stanzaToGateway(StanzaKind kind) {
    toGateway[kind.ordinal()].increment();
  }

  @Override
  public void stanzaFromGateway(StanzaKind kind) {
    fromGateway[kind.ordinal()].increment();
  }

  @Override
  public void bounced(StanzaCondition condition) {
    bounces[condition.ordinal()].increment();
  }

  @Override
  public void refused(PolicyDecision.Reason reason) {
    Counter counter = refusals[reason.ordinal()];
    if (counter != null) {
      counter.increment();
    }
  }
}
