package org.passerelle.gateway.admin;

import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.passerelle.gateway.im.ImEvents;
import org.passerelle.gateway.link.LinkClient;
import org.passerelle.gateway.link.ReadGate;
import org.passerelle.gateway.sip.SipEndpoint;
import org.passerelle.gateway.sip.SipTransport;
import org.passerelle.gateway.store.SubscriptionStore;
import org.passerelle.gateway.subscriptions.PresenceBridge;
import org.passerelle.gateway.subscriptions.PresenceBridge.SubscriptionCounts;
import org.passerelle.model.StanzaKind;
import org.passerelle.model.config.AdminSettings;
import org.passerelle.model.lifecycle.Lifecycle;
import org.passerelle.observability.AdminServer;
import org.passerelle.observability.HtmlPage;
import org.passerelle.observability.HtmlPage.Cell;
import org.passerelle.observability.HtmlPage.Fact;
import org.passerelle.observability.ProcessInfo;
import org.passerelle.observability.ProcessMetrics;
import org.passerelle.observability.Readiness;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the gateway's admin endpoint shows: its metrics, whether it is ready (every link attached,
 * the SIP endpoint running, the store open), and a status page of links, SIP, store, presence
 * subscriptions and counters. Presence subscriptions are counted on the presence thread, which owns
 * them; the admin thread waits for that at most {@link #PRESENCE_WAIT} and otherwise shows the last
 * count.
 */
public final class GatewayAdmin implements AdminServer.Content {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayAdmin.class);

  /** How long a scrape or a page waits for the presence thread to count its subscriptions. */
  static final Duration PRESENCE_WAIT = Duration.ofSeconds(1);

  /**
   * The parts of the running gateway the admin endpoint looks at.
   *
   * @param lifecycle whether the gateway runs or stops: a draining gateway is not ready
   */
  public record Parts(
      Map<String, LinkClient> links,
      SipEndpoint sip,
      SubscriptionStore store,
      PresenceBridge presence,
      Lifecycle lifecycle,
      ReadGate gate) {
    public Parts {
      links = Map.copyOf(links);
      Objects.requireNonNull(sip, "sip");
      Objects.requireNonNull(store, "store");
      Objects.requireNonNull(presence, "presence");
      Objects.requireNonNull(lifecycle, "lifecycle");
    }
  }

  private final ProcessInfo info;
  private final ProcessMetrics process;
  private final GatewayMetrics metrics;
  private final Parts parts;
  private final Clock clock;

  private GatewayAdmin(
      ProcessInfo info, ProcessMetrics process, GatewayMetrics metrics, Parts parts, Clock clock) {
    this.info = info;
    this.process = process;
    this.metrics = metrics;
    this.parts = parts;
    this.clock = clock;
  }

  /**
   * Registers the gauges that read {@code parts} and, if {@code settings} is present, starts the
   * endpoint.
   *
   * @return the endpoint, or empty when the configuration has no {@code admin} section
   * @throws IOException if its address cannot be bound
   */
  public static Optional<AdminServer> start(
      Optional<AdminSettings> settings,
      ProcessInfo info,
      ProcessMetrics process,
      GatewayMetrics metrics,
      Parts parts)
      throws IOException {
    GatewayAdmin admin = new GatewayAdmin(info, process, metrics, parts, Clock.systemUTC());
    parts.links().forEach((domain, link) -> metrics.linkGauge(domain, link::isUp));
    metrics.gauge(
        GatewayMetrics.STORE_QUEUED,
        "Subscription store operations waiting for a store thread",
        parts.store()::queued);
    metrics.gauge(
        GatewayMetrics.PRESENCE_QUEUED,
        "Presence events waiting for the presence thread",
        parts.presence()::queued);
    metrics.gauge(
        GatewayMetrics.SIP_IN_FLIGHT,
        "Messages from XMPP waiting for their final SIP response; at im.sip-in-flight the links"
            + " are paused",
        parts.gate()::waiting);
    metrics.gauge(
        GatewayMetrics.LINKS_PAUSED,
        "1 while the links are not read because im.sip-in-flight messages wait for SIP",
        () -> parts.gate().isOpen() ? 0 : 1);
    metrics.gauge(
        GatewayMetrics.SIP_STREAMS,
        "TCP and TLS connections the gateway opened for its MESSAGEs, open or opening",
        parts.sip()::streamConnections);
    metrics.gauge(
        GatewayMetrics.SIP_LISTENER_CONNECTIONS,
        "TCP and TLS connections to the gateway's SIP listening ports",
        parts.sip()::listenerConnections);
    process.beforeScrape(admin::countSubscriptions);
    if (settings.isEmpty()) {
      return Optional.empty();
    }
    if (settings.get().isExposed()) {
      LOG.warn(
          "the admin endpoint listens on {}, beyond this host: it has no authentication, so let"
              + " only your monitoring reach it (admin.listen)",
          settings.get().listen());
    }
    return Optional.of(AdminServer.start(settings.get().listen(), admin, "gateway"));
  }

  /** Asks the presence thread for its counts, waiting briefly; keeps the last ones otherwise. */
  void countSubscriptions() {
    try {
      metrics.subscriptions(
          parts
              .presence()
              .subscriptionCounts()
              .toCompletableFuture()
              .get(PRESENCE_WAIT.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException | ExecutionException e) {
      LOG.debug("presence subscriptions not counted, showing the last count: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String metrics() {
    return process.scrape();
  }

  @Override
  public Readiness readiness() {
    Readiness.Check check = new Readiness.Check();
    // Draining, the gateway still finishes what is under way, but answers new SIP requests 503: a
    // load balancer or SIP server should send new work to another one (docs/decisions/0013).
    check.require(
        parts.lifecycle().isRunning(),
        "stopping (" + parts.lifecycle() + "): new SIP requests are answered 503");
    new TreeMap<>(parts.links())
        .forEach(
            (domain, link) ->
                check.require(
                    link.isUp(), "the link for " + domain + " is down: " + link.describe()));
    check.require(parts.sip().isRunning(), "the SIP endpoint is stopped");
    check.require(parts.store().isOpen(), "the " + parts.store() + " is closed");
    return check.result();
  }

  @Override
  public String statusPage() {
    Instant now = clock.instant();
    countSubscriptions();
    Readiness readiness = readiness();
    HtmlPage page = new HtmlPage("Passerelle gateway");
    page.facts(
        "process",
        List.of(
            Fact.of("version", info.version()),
            Fact.of("up for", ProcessInfo.readable(info.uptime(now))),
            Fact.of("started", info.started()),
            Fact.of("domains", String.join(", ", new TreeMap<>(parts.links()).keySet())),
            new Fact(
                "ready",
                readiness.ready()
                    ? Cell.good("yes")
                    : Cell.bad("no: " + String.join("; ", readiness.problems())))));
    links(page);
    sip(page);
    presence(page);
    counters(page);
    return page.render();
  }

  private void links(HtmlPage page) {
    List<List<Cell>> rows = new ArrayList<>();
    new TreeMap<>(parts.links())
        .forEach(
            (domain, link) ->
                rows.add(
                    List.of(
                        Cell.of(domain),
                        link.isUp() ? Cell.good("attached") : Cell.bad("down"),
                        Cell.of(link.describe()))));
    page.heading("link", "Link to the proxy")
        .table("link-state", List.of("domain", "state", "detail"), rows, "No links.");
  }

  private void sip(HtmlPage page) {
    SipEndpoint sip = parts.sip();
    List<String> listening = new ArrayList<>();
    for (SipTransport transport : sip.settings().ports().keySet()) {
      listening.add(sip.localAddress(transport) + "/" + transport.token());
    }
    page.heading("sip", "SIP and store")
        .facts(
            "sip-facts",
            List.of(
                new Fact(
                    "SIP endpoint", sip.isRunning() ? Cell.good("running") : Cell.bad("stopped")),
                Fact.of("listening", String.join(", ", listening)),
                Fact.of(
                    "outbound proxy",
                    sip.settings().outboundProxy().map(String::valueOf).orElse("none")),
                new Fact(
                    "store",
                    parts.store().isOpen()
                        ? Cell.good(parts.store() + " (open)")
                        : Cell.bad(parts.store() + " (closed)")),
                Fact.of("store operations waiting", parts.store().queued()),
                Fact.of("presence events waiting", parts.presence().queued())));
  }

  private void presence(HtmlPage page) {
    SubscriptionCounts counts = metrics.subscriptions();
    page.heading("presence", "Presence subscriptions")
        .table(
            "subscriptions",
            List.of("who watches", "granted", "pending"),
            List.of(
                List.of(
                    Cell.of("XMPP contacts watch SIP users"),
                    Cell.of(counts.xmppWatchingSipGranted()),
                    Cell.of(counts.xmppWatchingSipPending())),
                List.of(
                    Cell.of("SIP users watch XMPP contacts"),
                    Cell.of(counts.sipWatchingXmppGranted()),
                    Cell.of(counts.sipWatchingXmppPending()))),
            "");
  }

  private void counters(HtmlPage page) {
    page.heading("counters", "Since start");
    List<List<Cell>> stanzaRows = new ArrayList<>();
    for (GatewayMetrics.LinkDirection direction : GatewayMetrics.LinkDirection.values()) {
      Map<StanzaKind, Long> counts = metrics.stanzaCounts(direction);
      List<Cell> row = new ArrayList<>();
      row.add(Cell.of(GatewayMetrics.tagValue(direction).replace('_', ' ')));
      for (StanzaKind kind : StanzaKind.values()) {
        row.add(Cell.of(counts.get(kind)));
      }
      stanzaRows.add(row);
    }
    page.table("stanza-counts", List.of("stanzas", "message", "presence", "iq"), stanzaRows, "");
    List<List<Cell>> translationRows = new ArrayList<>();
    for (ImEvents.Direction direction : ImEvents.Direction.values()) {
      for (boolean delivered : new boolean[] {true, false}) {
        Timer timer = metrics.translation(direction, delivered);
        translationRows.add(
            List.of(
                Cell.of(GatewayMetrics.tagValue(direction).replace('_', ' ')),
                Cell.of(delivered ? "delivered" : "failed"),
                Cell.of(timer.count()),
                Cell.of(
                    timer.count() == 0
                        ? "-"
                        : String.format("%.1f ms", timer.mean(TimeUnit.MICROSECONDS) / 1000))));
      }
    }
    page.table(
        "translations", List.of("messages", "outcome", "count", "mean time"), translationRows, "");
    List<List<Cell>> transactionRows = new ArrayList<>();
    metrics
        .transactionCounts()
        .forEach((what, count) -> transactionRows.add(List.of(Cell.of(what), Cell.of(count))));
    page.table(
        "sip-transactions",
        List.of("SIP transactions (role, method, status)", "count"),
        transactionRows,
        "No SIP transaction yet.");
  }
}
