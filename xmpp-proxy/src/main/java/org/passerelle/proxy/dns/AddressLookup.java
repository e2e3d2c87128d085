package org.passerelle.proxy.dns;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The A or AAAA question asked for one host name and what came back (the local hosts file
 * included).
 *
 * @param hostname the host name asked for, lower case, without the trailing dot
 * @param family A (IPv4) or AAAA (IPv6)
 * @param status the outcome, never {@code DECIDEDLY_ABSENT}
 * @param addresses the addresses received; empty unless {@code ANSWERED}
 * @param detail a short explanation of a failure, empty if none
 */
public record AddressLookup(
    String hostname,
    AddressFamily family,
    LookupStatus status,
    List<InetAddress> addresses,
    String detail) {

  public AddressLookup {
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(status, "status");
    addresses = List.copyOf(addresses);
    Objects.requireNonNull(detail, "detail");
    if (status == LookupStatus.DECIDEDLY_ABSENT) {
      throw new IllegalArgumentException("DECIDEDLY_ABSENT only applies to SRV lookups");
    }
    if ((status == LookupStatus.ANSWERED) == addresses.isEmpty()) {
      throw new IllegalArgumentException(
          status + " does not match " + addresses.size() + " addresses");
    }
  }

  /** One line for logs and bounce texts, e.g. {@code xmpp.example.org. A: 192.0.2.1}. */
  public String summary() {
    String outcome =
        switch (status) {
          case ANSWERED ->
              addresses.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", "));
          case NO_RECORDS -> "no records";
          case TIMED_OUT -> "timed out";
          case FAILED, DECIDEDLY_ABSENT -> "failed";
        };
    return hostname
        + ". "
        + family.recordType()
        + ": "
        + outcome
        + (detail.isEmpty() ? "" : " (" + detail + ")");
  }
}
