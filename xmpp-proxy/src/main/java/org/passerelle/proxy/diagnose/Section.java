package org.passerelle.proxy.diagnose;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A group of checks: the policy, the addresses, one target.
 *
 * @param title e.g. {@code target 1: 192.0.2.1:5269 (xmpp.example.net, STARTTLS)}
 * @param checks in the order they ran
 */
public record Section(String title, List<Check> checks) {
  public Section {
    Objects.requireNonNull(title, "title");
    checks = List.copyOf(checks);
  }

  /** The first check with {@code status}, if any. */
  public Optional<Check> first(Status status) {
    return checks.stream().filter(check -> check.status() == status).findFirst();
  }

  /** The check named {@code name}, if it ran. */
  public Optional<Check> check(String name) {
    return checks.stream().filter(check -> check.name().equals(name)).findFirst();
  }
}
