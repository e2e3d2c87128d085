package org.passerelle.proxy.routing;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.passerelle.proxy.dns.ConnectTarget;
import org.passerelle.proxy.policy.FederationGate;
import org.passerelle.proxy.s2s.TargetResolver;

/**
 * Where to connect for a remote domain: the partner's configured address if it has one (RFC 6120
 * §3.2.3, no DNS), else whatever the next resolver finds (static routes, then DNS SRV). Reads the
 * policy in force, so a reload changes addresses for the next connection.
 */
public final class PartnerAddresses implements TargetResolver {
  private final FederationGate federation;
  private final TargetResolver next;

  public PartnerAddresses(FederationGate federation, TargetResolver next) {
    this.federation = Objects.requireNonNull(federation, "federation");
    this.next = Objects.requireNonNull(next, "next");
  }

  @Override
  public CompletionStage<List<ConnectTarget>> resolve(String domain) {
    Optional<InetSocketAddress> address = federation.policy().addressOf(domain);
    if (address.isEmpty()) {
      return next.resolve(domain);
    }
    InetSocketAddress target = address.get();
    return CompletableFuture.completedFuture(
        List.of(new ConnectTarget(target, target.getHostString(), false)));
  }
}
