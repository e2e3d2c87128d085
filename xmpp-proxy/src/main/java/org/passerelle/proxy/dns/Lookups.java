package org.passerelle.proxy.dns;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every DNS question asked while resolving one domain, in the order they matter: SRV per service,
 * then A/AAAA per host in SRV order.
 *
 * @param srv the SRV lookups, empty when DNS SRV was not consulted
 * @param addresses the A/AAAA lookups
 */
public record Lookups(List<SrvLookup> srv, List<AddressLookup> addresses) {

  private static final Lookups NONE = new Lookups(List.of(), List.of());

  public Lookups {
    srv = List.copyOf(srv);
    addresses = List.copyOf(addresses);
  }

  /** No DNS question asked (static route, IP literal, invalid domain). */
  public static Lookups none() {
    return NONE;
  }

  /** Whether any question timed out or failed, so that a later attempt might succeed. */
  public boolean anyTransientFailure() {
    return Stream.concat(
            srv.stream().map(SrvLookup::status), addresses.stream().map(AddressLookup::status))
        .anyMatch(LookupStatus::isTransient);
  }

  /** The summaries of all lookups, separated by {@code "; "}; {@code "nothing"} if none. */
  public String summary() {
    if (srv.isEmpty() && addresses.isEmpty()) {
      return "nothing";
    }
    return Stream.concat(
            srv.stream().map(SrvLookup::summary), addresses.stream().map(AddressLookup::summary))
        .collect(Collectors.joining("; "));
  }
}
