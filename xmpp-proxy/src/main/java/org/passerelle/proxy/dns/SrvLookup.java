package org.passerelle.proxy.dns;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The SRV question asked for one service and what came back.
 *
 * @param service the service asked for
 * @param name the absolute name queried, e.g. {@code _xmpp-server._tcp.example.org.}
 * @param status the outcome
 * @param records the records as received; empty unless {@code ANSWERED} or {@code DECIDEDLY_ABSENT}
 * @param detail a short explanation of a failure (e.g. {@code NXDOMAIN}), empty if none
 */
public record SrvLookup(
    SrvService service,
    String name,
    LookupStatus status,
    List<ServiceRecord> records,
    String detail) {

  public SrvLookup {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
    records = List.copyOf(records);
    Objects.requireNonNull(detail, "detail");
    boolean hasRecords = status == LookupStatus.ANSWERED || status == LookupStatus.DECIDEDLY_ABSENT;
    if (hasRecords == records.isEmpty()) {
      throw new IllegalArgumentException(status + " does not match " + records.size() + " records");
    }
  }

  /**
   * One line for logs and bounce texts, e.g. {@code _xmpp-server._tcp.example.org. SRV: NXDOMAIN}.
   */
  public String summary() {
    String outcome =
        switch (status) {
          case ANSWERED, DECIDEDLY_ABSENT ->
              records.stream()
                  .map(r -> r.priority() + " " + r.weight() + " " + r.port() + " " + r.target())
                  .collect(Collectors.joining(", "));
          case NO_RECORDS -> "no records";
          case TIMED_OUT -> "timed out";
          case FAILED -> "failed";
        };
    return name + " SRV: " + outcome + (detail.isEmpty() ? "" : " (" + detail + ")");
  }
}
