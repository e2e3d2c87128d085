package org.passerelle.proxy.diagnose;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.passerelle.proxy.dns.AddressLookup;
import org.passerelle.proxy.dns.ConnectTarget;
import org.passerelle.proxy.dns.DomainResolutionException;
import org.passerelle.proxy.dns.Lookups;
import org.passerelle.proxy.dns.Resolution;
import org.passerelle.proxy.dns.SrvLookup;
import org.passerelle.proxy.dns.SrvResolver;
import org.passerelle.proxy.policy.PartnerPolicy;

/**
 * Where the remote domain's servers are, as the proxy would find them: the partner's configured
 * address, else a static route, else DNS (RFC 6120 §3.2: {@code _xmpps-server} and {@code
 * _xmpp-server} SRV records, XEP-0368, else the domain's own A/AAAA on port 5269), each question
 * reported with its answer.
 */
final class AddressChecks {
  static final String SECTION = "addresses";
  static final String DNS = "dns";
  static final String TARGETS = "targets";

  /** The section, and the targets to try (empty when none was found). */
  record Found(Section section, List<ConnectTarget> targets) {}

  private AddressChecks() {}

  static Found find(String remote, PartnerPolicy partner, SrvResolver resolver, Duration timeout)
      throws InterruptedException {
    Optional<InetSocketAddress> address = partner.address();
    if (address.isPresent() && partner.name() != null) {
      InetSocketAddress at = address.get();
      Check check =
          Check.of(
              "partner-address",
              Status.OK,
              text(at)
                  + " from federation.partners."
                  + partner.name()
                  + ".address (DNS is not consulted)");
      return new Found(
          new Section(SECTION, List.of(check)),
          List.of(new ConnectTarget(at, at.getHostString(), false)));
    }
    List<Check> checks = new ArrayList<>();
    try {
      Resolution resolution =
          resolver
              .resolveDetailed(remote)
              .toCompletableFuture()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      checks.addAll(lookups(resolution.lookups()));
      checks.add(
          new Check(
              TARGETS,
              Status.OK,
              resolution.targets().size() + " target(s) " + describe(resolution.method(), remote),
              Map.of("targets", resolution.targets().stream().map(AddressChecks::title).toList())));
      return new Found(new Section(SECTION, checks), resolution.targets());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof DomainResolutionException dns) {
        checks.addAll(lookups(dns.lookups()));
        checks.add(Check.of(DNS, Status.FAIL, dns.getMessage()));
      } else {
        checks.add(Check.of(DNS, Status.FAIL, "cannot resolve " + remote + ": " + e.getCause()));
      }
    } catch (TimeoutException e) {
      checks.add(
          Check.of(
              DNS,
              Status.FAIL,
              "DNS gave no answer for " + remote + " within " + timeout.toSeconds() + " s"));
    }
    return new Found(new Section(SECTION, checks), List.of());
  }

  /** An address as {@code 192.0.2.1:5269} or {@code [2001:db8::1]:5269}. */
  static String text(SocketAddress address) {
    return address instanceof InetSocketAddress inet ? text(inet) : String.valueOf(address);
  }

  static String text(InetSocketAddress address) {
    String host =
        address.getAddress() != null
            ? address.getAddress().getHostAddress()
            : address.getHostString();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  /** How a target is named in section titles: address, host name, and how TLS starts. */
  static String title(ConnectTarget target) {
    return text(target.address())
        + " ("
        + target.hostname()
        + ", "
        + (target.directTls() ? "direct TLS" : "STARTTLS")
        + ")";
  }

  private static String describe(Resolution.Method method, String remote) {
    return switch (method) {
      case STATIC_ROUTE -> "from static-routes." + remote + " (DNS SRV is not consulted)";
      case IP_LITERAL -> "(the domain is an IP address)";
      case SRV -> "from DNS SRV records";
      case DOMAIN_ADDRESS ->
          "from the domain's own address on port 5269: it has no SRV record (RFC 6120 §3.2.2)";
    };
  }

  private static List<Check> lookups(Lookups lookups) {
    List<Check> checks = new ArrayList<>();
    for (SrvLookup srv : lookups.srv()) {
      Status status =
          switch (srv.status()) {
            case ANSWERED, NO_RECORDS -> Status.OK;
            case DECIDEDLY_ABSENT, TIMED_OUT, FAILED -> Status.WARN;
          };
      String text =
          switch (srv.status()) {
            case ANSWERED ->
                srv.records().stream()
                    .map(r -> r.priority() + " " + r.weight() + " " + r.port() + " " + r.target())
                    .collect(Collectors.joining(", "));
            case NO_RECORDS -> "no records";
            case DECIDEDLY_ABSENT -> "the domain declares it offers no such service (target '.')";
            case TIMED_OUT -> "no answer in time";
            case FAILED -> "the question failed";
          };
      checks.add(
          Check.of(
              "srv " + srv.service().label(),
              status,
              srv.name() + " " + text + (srv.detail().isEmpty() ? "" : " (" + srv.detail() + ")")));
    }
    for (AddressLookup address : lookups.addresses()) {
      Status status =
          switch (address.status()) {
            case ANSWERED -> Status.OK;
            default -> Status.WARN;
          };
      String text =
          switch (address.status()) {
            case ANSWERED ->
                address.addresses().stream()
                    .map(InetAddress::getHostAddress)
                    .collect(Collectors.joining(", "));
            case NO_RECORDS -> "no records";
            case TIMED_OUT -> "no answer in time";
            default -> "the question failed";
          };
      checks.add(
          Check.of(
              address.family().recordType() + " " + address.hostname(),
              status,
              text + (address.detail().isEmpty() ? "" : " (" + address.detail() + ")")));
    }
    return checks;
  }
}
