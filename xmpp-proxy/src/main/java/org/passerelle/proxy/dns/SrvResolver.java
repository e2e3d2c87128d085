package org.passerelle.proxy.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.random.RandomGenerator;
import org.passerelle.proxy.dns.DomainResolutionException.Reason;
import org.passerelle.proxy.dns.Resolution.Method;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.hosts.HostsFileParser;
import org.xbill.DNS.lookup.LookupSession;

/**
 * Finds where to connect for a remote XMPP domain (RFC 6120 §3.2, XEP-0368), without blocking the
 * calling thread.
 *
 * <ol>
 *   <li>A static route for the domain wins (§3.2.3); an IP-literal domain needs no DNS.
 *   <li>{@code _xmpps-server._tcp} and {@code _xmpp-server._tcp} are asked in parallel and their
 *       records merged in RFC 2782 order; each target's A (and AAAA if enabled) addresses become
 *       targets, all addresses of one target before the next (§3.2.1 steps 4-7).
 *   <li>If SRV answered but no target resolved, resolution fails: no fallback (§3.2.1 step 8).
 *       Likewise after an {@code _xmpp-server} target {@code .} (§3.2.1 step 3), or an {@code
 *       _xmpps-server} target {@code .} with no {@code _xmpp-server} record (XEP-0368 §5).
 *   <li>Only if neither SRV question produced a record (NXDOMAIN, no data, error or timeout) are
 *       the domain's own A/AAAA used, on port 5269 with STARTTLS (§3.2.2).
 * </ol>
 *
 * <p>A/AAAA questions consult the hosts file first. A failed resolution completes the stage with a
 * {@link DomainResolutionException}.
 */
public final class SrvResolver {

  /** RFC 6120 §3.2.2: the IANA "xmpp-server" port, used when there is no SRV record. */
  public static final int DEFAULT_SERVER_PORT = 5269;

  private final DnsSettings settings;
  private final StaticRoutes staticRoutes;
  private final Rfc2782Order order;
  private final DnsLookups lookups;

  /**
   * @param dns the resolver that sends DNS questions
   * @param settings timeouts, IPv6 switch and hosts file
   * @param staticRoutes routes that override DNS
   * @param random for the weighted selection among SRV records of equal priority
   * @param executor where lookups start and complete; must not be a Netty event loop
   */
  public SrvResolver(
      Resolver dns,
      DnsSettings settings,
      StaticRoutes staticRoutes,
      RandomGenerator random,
      Executor executor) {
    Objects.requireNonNull(dns, "dns");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.staticRoutes = Objects.requireNonNull(staticRoutes, "staticRoutes");
    this.order = new Rfc2782Order(random);
    Objects.requireNonNull(executor, "executor");
    // Retries and the memory of failures are RetryingResolver's; answers are not cached here.
    LookupSession session =
        LookupSession.builder()
            .resolver(dns)
            .hostsFileParser(new HostsFileParser(settings.hostsFile()))
            .executor(executor)
            .build();
    this.lookups = new DnsLookups(session, executor);
  }

  /** A resolver using the system's name servers ({@code /etc/resolv.conf}). */
  public static SrvResolver usingSystemDns(DnsSettings settings, StaticRoutes staticRoutes) {
    ExtendedResolver dns = new ExtendedResolver();
    dns.setTimeout(settings.queryTimeout());
    return new SrvResolver(
        dns, settings, staticRoutes, RandomGenerator.getDefault(), ForkJoinPool.commonPool());
  }

  /**
   * The addresses to try for {@code domain}, in order. On failure the stage completes with a {@link
   * DomainResolutionException} itself (not wrapped in a CompletionException).
   */
  public CompletionStage<List<ConnectTarget>> resolve(String domain) {
    return unwrapped(resolveDetailed(domain).toCompletableFuture().thenApply(Resolution::targets));
  }

  /**
   * Like {@link #resolve}, with the DNS questions asked and how the targets were found, for
   * diagnostics.
   */
  public CompletionStage<Resolution> resolveDetailed(String domain) {
    Objects.requireNonNull(domain, "domain");
    String normalized;
    try {
      normalized = DomainNames.normalize(domain);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(
          new DomainResolutionException(
              domain, Reason.INVALID_DOMAIN, Lookups.none(), e.getMessage()));
    }
    Deadline deadline = new Deadline(settings);
    Optional<StaticRoute> route = staticRoutes.routeFor(normalized);
    if (route.isPresent()) {
      return unwrapped(viaStaticRoute(normalized, route.get(), deadline));
    }
    Optional<InetAddress> literal = DomainNames.ipLiteral(normalized);
    if (literal.isPresent()) {
      ConnectTarget target =
          new ConnectTarget(
              new InetSocketAddress(literal.get(), DEFAULT_SERVER_PORT), normalized, false);
      return CompletableFuture.completedFuture(
          new Resolution(normalized, Method.IP_LITERAL, Lookups.none(), List.of(target)));
    }
    CompletableFuture<SrvLookup> direct =
        lookups.srv(SrvService.XMPPS_SERVER, normalized, deadline.nextQueryTimeout());
    CompletableFuture<SrvLookup> startTls =
        lookups.srv(SrvService.XMPP_SERVER, normalized, deadline.nextQueryTimeout());
    return unwrapped(
        direct
            .thenCombine(startTls, List::of)
            .thenCompose(srv -> afterSrv(normalized, srv, deadline)));
  }

  private CompletableFuture<Resolution> viaStaticRoute(
      String domain, StaticRoute route, Deadline deadline) {
    InetSocketAddress address = route.address();
    if (!address.isUnresolved()) {
      ConnectTarget target = new ConnectTarget(address, address.getHostString(), route.directTls());
      return CompletableFuture.completedFuture(
          new Resolution(domain, Method.STATIC_ROUTE, Lookups.none(), List.of(target)));
    }
    String host = DomainNames.normalize(address.getHostString()); // checked by StaticRoute
    Optional<InetAddress> literal = DomainNames.ipLiteral(host);
    if (literal.isPresent()) {
      ConnectTarget target =
          new ConnectTarget(
              new InetSocketAddress(literal.get(), address.getPort()), host, route.directTls());
      return CompletableFuture.completedFuture(
          new Resolution(domain, Method.STATIC_ROUTE, Lookups.none(), List.of(target)));
    }
    ServiceRecord pseudo =
        new ServiceRecord(
            route.directTls() ? SrvService.XMPPS_SERVER : SrvService.XMPP_SERVER,
            0,
            0,
            address.getPort(),
            host);
    return addressesOf(domain, Method.STATIC_ROUTE, List.of(), List.of(pseudo), deadline);
  }

  private CompletableFuture<Resolution> afterSrv(
      String domain, List<SrvLookup> srv, Deadline deadline) {
    List<ServiceRecord> usable =
        srv.stream()
            .filter(lookup -> lookup.status() == LookupStatus.ANSWERED)
            .flatMap(lookup -> lookup.records().stream())
            .filter(ServiceRecord::isUsable)
            .toList();
    if (!usable.isEmpty()) {
      return addressesOf(domain, Method.SRV, srv, order.order(usable), deadline);
    }
    if (srv.stream().anyMatch(lookup -> lookup.status() == LookupStatus.DECIDEDLY_ABSENT)) {
      return failure(domain, Reason.SERVICE_ABSENT, new Lookups(srv, List.of()), "");
    }
    if (srv.stream().anyMatch(lookup -> lookup.status() == LookupStatus.ANSWERED)) {
      return failure(
          domain, Reason.NO_ADDRESS, new Lookups(srv, List.of()), "no usable SRV target");
    }
    // §3.2.2: the domain itself stands in for a single STARTTLS SRV record on port 5269.
    ServiceRecord fallback =
        new ServiceRecord(SrvService.XMPP_SERVER, 0, 0, DEFAULT_SERVER_PORT, domain);
    return addressesOf(domain, Method.DOMAIN_ADDRESS, srv, List.of(fallback), deadline);
  }

  /** Resolves the hosts of {@code ordered} in parallel and builds targets in that order. */
  private CompletableFuture<Resolution> addressesOf(
      String domain,
      Method method,
      List<SrvLookup> srv,
      List<ServiceRecord> ordered,
      Deadline deadline) {
    Map<String, List<CompletableFuture<AddressLookup>>> byHost = new LinkedHashMap<>();
    for (ServiceRecord record : ordered) {
      byHost.computeIfAbsent(record.target(), host -> addressLookups(host, deadline));
    }
    CompletableFuture<?>[] all =
        byHost.values().stream().flatMap(List::stream).toArray(CompletableFuture<?>[]::new);
    return CompletableFuture.allOf(all)
        .thenCompose(
            done -> {
              Map<String, List<AddressLookup>> answers = new LinkedHashMap<>();
              byHost.forEach(
                  (host, questions) ->
                      answers.put(host, questions.stream().map(CompletableFuture::join).toList()));
              Lookups trace =
                  new Lookups(srv, answers.values().stream().flatMap(List::stream).toList());
              List<ConnectTarget> targets = targets(ordered, answers);
              if (targets.isEmpty()) {
                String detail =
                    method == Method.SRV ? "SRV targets did not resolve, no A/AAAA fallback" : "";
                return failure(domain, Reason.NO_ADDRESS, trace, detail);
              }
              return CompletableFuture.completedFuture(
                  new Resolution(domain, method, trace, targets));
            });
  }

  /** AAAA first when enabled, following the IPv6 preference of RFC 6724 §2.1's default policy. */
  private List<CompletableFuture<AddressLookup>> addressLookups(String host, Deadline deadline) {
    List<CompletableFuture<AddressLookup>> questions = new ArrayList<>(2);
    if (settings.ipv6Enabled()) {
      questions.add(lookups.address(host, AddressFamily.IPV6, deadline.nextQueryTimeout()));
    }
    questions.add(lookups.address(host, AddressFamily.IPV4, deadline.nextQueryTimeout()));
    return questions;
  }

  /** All addresses of one record before the next (§3.2.1 steps 6-7); duplicates dropped. */
  private static List<ConnectTarget> targets(
      List<ServiceRecord> ordered, Map<String, List<AddressLookup>> answers) {
    List<ConnectTarget> targets = new ArrayList<>();
    for (ServiceRecord record : ordered) {
      for (AddressLookup lookup : answers.get(record.target())) {
        for (InetAddress address : lookup.addresses()) {
          ConnectTarget target =
              new ConnectTarget(
                  new InetSocketAddress(address, record.port()),
                  record.target(),
                  record.service().directTls());
          if (!targets.contains(target)) {
            targets.add(target);
          }
        }
      }
    }
    return targets;
  }

  private static CompletableFuture<Resolution> failure(
      String domain, Reason reason, Lookups trace, String detail) {
    // A missed answer might have changed the outcome, so say so rather than "not found".
    Reason effective = trace.anyTransientFailure() ? Reason.DNS_UNAVAILABLE : reason;
    String fullDetail =
        effective == reason
            ? detail
            : reason.description() + (detail.isEmpty() ? "" : ", " + detail);
    return CompletableFuture.failedFuture(
        new DomainResolutionException(domain, effective, trace, fullDetail));
  }

  /** Completes with the {@link DomainResolutionException} itself, not a CompletionException. */
  private static <T> CompletableFuture<T> unwrapped(CompletableFuture<T> stage) {
    CompletableFuture<T> result = new CompletableFuture<>();
    stage.whenComplete(
        (value, error) -> {
          if (error == null) {
            result.complete(value);
          } else {
            result.completeExceptionally(
                error instanceof CompletionException && error.getCause() != null
                    ? error.getCause()
                    : error);
          }
        });
    return result;
  }

  /** The resolution deadline: each question gets the query timeout, or less if time runs out. */
  private static final class Deadline {
    private final long endNanos;
    private final Duration queryTimeout;

    Deadline(DnsSettings settings) {
      this.endNanos = System.nanoTime() + settings.resolveTimeout().toNanos();
      this.queryTimeout = settings.queryTimeout();
    }

    Duration nextQueryTimeout() {
      Duration left = Duration.ofNanos(endNanos - System.nanoTime());
      return left.compareTo(queryTimeout) < 0 ? left : queryTimeout;
    }
  }
}
