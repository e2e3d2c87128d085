package org.passerelle.proxy.admin;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
import org.passerelle.proxy.link.GatewayLinkService;
import org.passerelle.proxy.policy.FederationGate;
import org.passerelle.proxy.policy.PartnerPolicy;
import org.passerelle.proxy.s2s.OutboundStreams;
import org.passerelle.proxy.s2s.S2sServer;
import org.passerelle.proxy.s2s.S2sStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the proxy's admin endpoint shows: its metrics, whether it is ready (listening, with a
 * federation policy), and a status page of partners, streams, link and counters. Everything is read
 * from views the event loops publish; nothing here waits on a loop.
 */
public final class ProxyAdmin implements AdminServer.Content {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyAdmin.class);

  /**
   * The parts of the running proxy the admin endpoint looks at.
   *
   * @param lifecycle whether the proxy runs or stops: a draining proxy is not ready
   */
  public record Parts(
      Set<String> domains,
      S2sServer server,
      InetSocketAddress s2sAddress,
      FederationGate federation,
      OutboundStreams outbound,
      Optional<GatewayLinkService> link,
      Lifecycle lifecycle) {
    public Parts {
      domains = Set.copyOf(domains);
      Objects.requireNonNull(server, "server");
      Objects.requireNonNull(s2sAddress, "s2sAddress");
      Objects.requireNonNull(federation, "federation");
      Objects.requireNonNull(outbound, "outbound");
      Objects.requireNonNull(link, "link");
      Objects.requireNonNull(lifecycle, "lifecycle");
    }
  }

  private final ProcessInfo info;
  private final ProcessMetrics process;
  private final ProxyMetrics metrics;
  private final Parts parts;
  private final Clock clock;

  private ProxyAdmin(
      ProcessInfo info, ProcessMetrics process, ProxyMetrics metrics, Parts parts, Clock clock) {
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
      ProxyMetrics metrics,
      Parts parts)
      throws IOException {
    metrics.watch(
        parts.federation(),
        parts.outbound(),
        parts.link().map(GatewayLinkService::links).orElse(null),
        parts.domains());
    process.beforeScrape(metrics::refresh);
    if (settings.isEmpty()) {
      return Optional.empty();
    }
    if (settings.get().isExposed()) {
      LOG.warn(
          "the admin endpoint listens on {}, beyond this host: it has no authentication, so let"
              + " only your monitoring reach it (admin.listen)",
          settings.get().listen());
    }
    ProxyAdmin content = new ProxyAdmin(info, process, metrics, parts, Clock.systemUTC());
    return Optional.of(AdminServer.start(settings.get().listen(), content, "proxy"));
  }

  @Override
  public String metrics() {
    return process.scrape();
  }

  @Override
  public Readiness readiness() {
    Readiness.Check check =
        new Readiness.Check()
            // Draining, the proxy still finishes what it holds, but takes nothing new: a load
            // balancer should send new streams to another one (docs/decisions/0013).
            .require(
                parts.lifecycle().isRunning(),
                "stopping ("
                    + parts.lifecycle()
                    + "): taking no new server-to-server streams or gateways")
            .require(
                parts.server().isListening(),
                "not accepting server-to-server streams on " + parts.s2sAddress())
            .require(parts.federation().policy() != null, "no federation policy is loaded");
    parts
        .link()
        .ifPresent(
            link ->
                check.require(link.isListening(), "not accepting gateways on " + link.address()));
    return check.result();
  }

  @Override
  public String statusPage() {
    Instant now = clock.instant();
    Readiness readiness = readiness();
    HtmlPage page = new HtmlPage("Passerelle proxy");
    page.facts(
        "process",
        List.of(
            Fact.of("version", info.version()),
            Fact.of("up for", ProcessInfo.readable(info.uptime(now))),
            Fact.of("started", info.started()),
            Fact.of("domains", String.join(", ", new TreeSet<>(parts.domains()))),
            Fact.of("server-to-server", parts.s2sAddress()),
            Fact.of(
                "link",
                parts.link().map(l -> String.valueOf(l.address())).orElse("not configured")),
            new Fact(
                "ready",
                readiness.ready()
                    ? Cell.good("yes")
                    : Cell.bad("no: " + String.join("; ", readiness.problems())))));
    partners(page);
    streams(page, now);
    sessions(page);
    link(page);
    counters(page);
    return page.render();
  }

  private void partners(HtmlPage page) {
    FederationGate federation = parts.federation();
    page.heading("federation", "Federation").paragraph(federation.policy().summary());
    Map<String, Map<ProxyMetrics.StreamKey, Integer>> counts = metrics.streamCounts();
    List<List<Cell>> rows = new ArrayList<>();
    for (PartnerPolicy partner : federation.policy().partners()) {
      Map<ProxyMetrics.StreamKey, Integer> streams = counts.getOrDefault(partner.name(), Map.of());
      int in = established(streams, S2sStream.Direction.INBOUND);
      int out = established(streams, S2sStream.Direction.OUTBOUND);
      rows.add(
          List.of(
              Cell.of(partner.name()),
              Cell.of(String.join(", ", partner.domains())),
              Cell.of(partner.tier().configName()),
              in + out > 0 ? Cell.good("connected") : Cell.of("not connected"),
              Cell.of(in),
              Cell.of(out)));
    }
    Map<ProxyMetrics.StreamKey, Integer> others = counts.getOrDefault(ProxyMetrics.OTHER, Map.of());
    int otherIn = established(others, S2sStream.Direction.INBOUND);
    int otherOut = established(others, S2sStream.Direction.OUTBOUND);
    if (otherIn + otherOut > 0) {
      rows.add(
          List.of(
              Cell.of(ProxyMetrics.OTHER),
              Cell.of("discovered domains"),
              Cell.of("-"),
              Cell.good("connected"),
              Cell.of(otherIn),
              Cell.of(otherOut)));
    }
    page.table(
        "partners",
        List.of("partner", "domains", "tier", "state", "streams in", "streams out"),
        rows,
        "No federation partners are configured.");
  }

  private static int established(
      Map<ProxyMetrics.StreamKey, Integer> counts, S2sStream.Direction direction) {
    return counts.getOrDefault(
        new ProxyMetrics.StreamKey(direction, S2sStream.Phase.ESTABLISHED), 0);
  }

  private void streams(HtmlPage page, Instant now) {
    page.heading("streams", "Server-to-server streams");
    List<List<Cell>> rows = new ArrayList<>();
    for (S2sStream stream : metrics.streams()) {
      boolean established = stream.phase() == S2sStream.Phase.ESTABLISHED;
      rows.add(
          List.of(
              Cell.of(ProxyMetrics.tagValue(stream.direction())),
              Cell.of(orDash(stream.local())),
              Cell.of(orDash(stream.remote())),
              Cell.of(metrics.partnerOf(stream.remote())),
              established
                  ? Cell.good(ProxyMetrics.tagValue(stream.phase()))
                  : Cell.of(ProxyMetrics.tagValue(stream.phase())),
              Cell.of(
                  stream.authentication() == null
                      ? "-"
                      : ProxyMetrics.tagValue(stream.authentication())),
              Cell.of(orDash(stream.peer())),
              Cell.of(ProcessInfo.readable(Duration.between(stream.opened(), now)))));
    }
    // By direction, then remote domain.
    rows.sort(
        Comparator.comparing((List<Cell> row) -> row.get(0).text())
            .thenComparing(row -> row.get(2).text()));
    page.table(
        "stream-list",
        List.of(
            "direction", "local", "remote", "partner", "state", "authenticated by", "peer", "open"),
        rows,
        "No server-to-server streams are open.");
  }

  private void sessions(HtmlPage page) {
    List<List<Cell>> rows = new ArrayList<>();
    for (OutboundStreams.Session session : parts.outbound().sessions()) {
      rows.add(
          List.of(Cell.of(session.pair()), Cell.of(session.phase()), Cell.of(session.queued())));
    }
    page.heading("outbound", "Outbound sessions")
        .table(
            "outbound-sessions",
            List.of("local→remote", "phase", "stanzas waiting"),
            rows,
            "No outbound sessions.");
  }

  private void link(HtmlPage page) {
    page.heading("link", "Link to gateways");
    if (parts.link().isEmpty()) {
      page.paragraph(
          "No link is configured: stanzas for local domains are answered"
              + " service-unavailable.");
      return;
    }
    GatewayLinkService link = parts.link().get();
    List<List<Cell>> rows = new ArrayList<>();
    for (String domain : new TreeSet<>(parts.domains())) {
      List<String> gateways = link.links().gatewaysOf(domain);
      rows.add(
          List.of(
              Cell.of(domain),
              gateways.isEmpty() ? Cell.bad("no gateway attached") : Cell.good("attached"),
              Cell.of(gateways.isEmpty() ? "-" : String.join(", ", gateways)),
              Cell.of(link.links().heldCount(domain))));
    }
    page.table(
        "link-state",
        List.of("domain", "state", "gateways", "stanzas held"),
        rows,
        "No local domains.");
  }

  private void counters(HtmlPage page) {
    page.heading("counters", "Stanzas since start");
    List<List<Cell>> rows = new ArrayList<>();
    for (ProxyMetrics.Flow flow : ProxyMetrics.Flow.values()) {
      Map<StanzaKind, Long> counts = metrics.counts(flow);
      List<Cell> row = new ArrayList<>();
      row.add(Cell.of(flow.direction.replace('_', ' ')));
      for (StanzaKind kind : StanzaKind.values()) {
        row.add(Cell.of(counts.get(kind)));
      }
      rows.add(row);
    }
    page.table("stanza-counts", List.of("", "message", "presence", "iq"), rows, "");
    page.table(
        "bounce-counts",
        List.of("bounced with", "stanzas"),
        rows(metrics.bounceCounts()),
        "No stanza has bounced.");
    page.table(
        "refusal-counts",
        List.of("refused by the policy for", "times"),
        rows(metrics.refusalCounts()),
        "The federation policy has refused nothing.");
  }

  private static List<List<Cell>> rows(Map<String, Long> counts) {
    List<List<Cell>> rows = new ArrayList<>();
    counts.forEach((name, count) -> rows.add(List.of(Cell.of(name), Cell.of(count))));
    return rows;
  }

  private static String orDash(Object value) {
    return value == null ? "-" : String.valueOf(value);
  }
}
