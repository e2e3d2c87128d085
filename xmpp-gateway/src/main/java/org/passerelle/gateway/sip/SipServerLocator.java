package org.passerelle.gateway.sip;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Where to send a request, after RFC 3263, in a deliberately small form:
 *
 * <ol>
 *   <li>A URI with a {@code transport} parameter, an explicit port or an IP address is used as it
 *       is: the transport named, else UDP ({@code sip:}) or TLS ({@code sips:}); the port given,
 *       else the transport's default; the address, else the host's A records (§4.1, §4.2).
 *   <li>Otherwise SRV records are asked for: {@code _sips._tcp} for {@code sips:}, else {@code
 *       _sip._udp} and {@code _sip._tcp} for the transports we have, UDP first (§4.1 lets the
 *       client choose among the transports the server supports). Targets come in priority order,
 *       higher weight first within a priority, each followed by its A records.
 *   <li>Without SRV records: the host's A records on the default port, UDP or TLS.
 * </ol>
 *
 * A request that needs a congestion-controlled transport (RFC 3261 §18.1.1) uses TCP where UDP
 * would be chosen. Not done: NAPTR (§4.1), AAAA, RFC 2782 weighted random selection, and failover
 * to the next target (§4.3) — callers currently use the first target.
 */
final class SipServerLocator {

  private static final Pattern IPV4_LITERAL = Pattern.compile("[0-9]{1,3}(?:\\.[0-9]{1,3}){3}");

  private final SipDns dns;
  private final Set<SipTransport> enabled;
  private final Duration timeout;

  SipServerLocator(SipDns dns, Set<SipTransport> enabled, Duration timeout) {
    this.dns = Objects.requireNonNull(dns, "dns");
    this.enabled = Set.copyOf(enabled);
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /**
   * The targets for a server, best first; never empty. Fails with a {@link SipSendException} of
   * reason {@code NO_ROUTE}.
   *
   * @param secure whether the URI is {@code sips:}
   * @param needsReliable whether the request must go over TCP or TLS (RFC 3261 §18.1.1)
   */
  CompletableFuture<List<SipTarget>> locate(
      SipServerAddress server, boolean secure, boolean needsReliable) {
    Optional<InetAddress> literal = ipLiteral(server.host());
    CompletableFuture<List<SipTarget>> targets;
    if (server.transport().isPresent() || server.port().isPresent() || literal.isPresent()) {
      SipTransport transport =
          upgrade(server.transport().orElse(SipTransport.UDP), secure, needsReliable);
      if (!enabled.contains(transport)) {
        return noRoute(server, transport + " is not enabled");
      }
      int port = server.port().orElse(transport.defaultPort());
      targets =
          literal.isPresent()
              ? CompletableFuture.completedFuture(
                  List.of(new SipTarget(literal.get(), port, transport)))
              : addresses(server.host(), port, transport);
    } else {
      targets = viaSrv(server, secure, needsReliable);
    }
    return targets
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (list, error) -> {
              if (error == null && !list.isEmpty()) {
                return list;
              }
              Throwable cause = error instanceof CompletionException ? error.getCause() : error;
              if (cause instanceof SipSendException) {
                throw new CompletionException(cause);
              }
              String detail =
                  cause == null
                      ? "no address found"
                      : cause instanceof TimeoutException
                          ? "DNS did not answer within " + timeout.toMillis() + " ms"
                          : "DNS failed: " + cause;
              throw new CompletionException(
                  new SipSendException(
                      SipSendException.Reason.NO_ROUTE, "cannot locate " + server + ": " + detail));
            });
  }

  private CompletableFuture<List<SipTarget>> viaSrv(
      SipServerAddress server, boolean secure, boolean needsReliable) {
    List<SipTransport> candidates = new ArrayList<>();
    if (secure) {
      candidates.add(SipTransport.TLS);
    } else {
      if (!needsReliable) {
        candidates.add(SipTransport.UDP);
      }
      candidates.add(SipTransport.TCP);
    }
    candidates.retainAll(enabled);
    if (candidates.isEmpty()) {
      return noRoute(server, "no enabled transport fits");
    }
    List<CompletableFuture<List<SipDns.Srv>>> answers = new ArrayList<>();
    for (SipTransport transport : candidates) {
      answers.add(dns.srv(srvName(transport, server.host())));
    }
    return CompletableFuture.allOf(answers.toArray(new CompletableFuture<?>[0]))
        .thenCompose(
            ignored -> {
              List<CompletableFuture<List<SipTarget>>> resolved = new ArrayList<>();
              boolean anyRecord = false;
              for (int i = 0; i < candidates.size(); i++) {
                SipTransport transport = candidates.get(i);
                List<SipDns.Srv> records = answers.get(i).join();
                anyRecord |= !records.isEmpty();
                records.stream()
                    .filter(srv -> !srv.target().equals(".")) // "not offered here", RFC 2782
                    .sorted(
                        Comparator.comparingInt(SipDns.Srv::priority)
                            .thenComparing(Comparator.comparingInt(SipDns.Srv::weight).reversed()))
                    .map(srv -> addresses(stripDot(srv.target()), srv.port(), transport))
                    .forEach(resolved::add);
              }
              if (resolved.isEmpty()) {
                if (anyRecord) {
                  return noRoute(server, "its SRV records declare no SIP service");
                }
                SipTransport transport = upgrade(SipTransport.UDP, secure, needsReliable);
                return enabled.contains(transport)
                    ? addresses(server.host(), transport.defaultPort(), transport)
                    : noRoute(server, "no SRV records and " + transport + " is not enabled");
              }
              return CompletableFuture.allOf(resolved.toArray(new CompletableFuture<?>[0]))
                  .thenApply(
                      done -> {
                        List<SipTarget> all = new ArrayList<>();
                        resolved.forEach(f -> all.addAll(f.join()));
                        return all;
                      });
            });
  }

  private CompletableFuture<List<SipTarget>> addresses(
      String host, int port, SipTransport transport) {
    return dns.ipv4(host)
        .thenApply(list -> list.stream().map(a -> new SipTarget(a, port, transport)).toList());
  }

  /** {@code sips:} means TLS (RFC 3261 §19.1, §26.2), and big requests need TCP (§18.1.1). */
  private static SipTransport upgrade(SipTransport transport, boolean secure, boolean reliable) {
    if (secure) {
      return SipTransport.TLS;
    }
    return reliable && transport == SipTransport.UDP ? SipTransport.TCP : transport;
  }

  private static String srvName(SipTransport transport, String host) {
    return switch (transport) {
      case UDP -> "_sip._udp." + host;
      case TCP -> "_sip._tcp." + host;
      case TLS -> "_sips._tcp." + host;
    };
  }

  private static String stripDot(String name) {
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }

  /** An IPv4 or IPv6 literal, parsed without any DNS question. */
  static Optional<InetAddress> ipLiteral(String host) {
    if (!IPV4_LITERAL.matcher(host).matches() && host.indexOf(':') < 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(host));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private static <T> CompletableFuture<T> noRoute(SipServerAddress server, String why) {
    return CompletableFuture.failedFuture(
        new SipSendException(
            SipSendException.Reason.NO_ROUTE, "cannot send to " + server + ": " + why));
  }
}
