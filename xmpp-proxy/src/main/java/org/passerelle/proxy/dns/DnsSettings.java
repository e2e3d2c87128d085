package org.passerelle.proxy.dns;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Read-only settings of {@link SrvResolver}, checked on construction.
 *
 * @param queryTimeout the longest wait for one DNS question (CNAME chasing included)
 * @param resolveTimeout the longest wait for a whole resolution; questions not yet asked when it
 *     runs out are reported as timed out
 * @param ipv6Enabled whether to ask for AAAA records and return IPv6 targets
 * @param hostsFile the hosts database consulted before DNS for A/AAAA (a missing file is empty)
 */
public record DnsSettings(
    Duration queryTimeout, Duration resolveTimeout, boolean ipv6Enabled, Path hostsFile) {

  public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(2);
  public static final Duration DEFAULT_RESOLVE_TIMEOUT = Duration.ofSeconds(5);

  /** Stanzas wait while we resolve: beyond a minute, bouncing them serves the user better. */
  public static final Duration MAX_TIMEOUT = Duration.ofMinutes(1);

  public static final Path SYSTEM_HOSTS_FILE = Path.of("/etc/hosts");

  public DnsSettings {
    checkTimeout(queryTimeout, "queryTimeout");
    checkTimeout(resolveTimeout, "resolveTimeout");
    if (queryTimeout.compareTo(resolveTimeout) > 0) {
      throw new IllegalArgumentException(
          "queryTimeout " + queryTimeout + " exceeds resolveTimeout " + resolveTimeout);
    }
    Objects.requireNonNull(hostsFile, "hostsFile");
  }

  /** Default timeouts, IPv4 only, {@code /etc/hosts}. */
  public static DnsSettings defaults() {
    return new DnsSettings(
        DEFAULT_QUERY_TIMEOUT, DEFAULT_RESOLVE_TIMEOUT, false, SYSTEM_HOSTS_FILE);
  }

  public DnsSettings withTimeouts(Duration queryTimeout, Duration resolveTimeout) {
    return new DnsSettings(queryTimeout, resolveTimeout, ipv6Enabled, hostsFile);
  }

  public DnsSettings withIpv6Enabled(boolean ipv6Enabled) {
    return new DnsSettings(queryTimeout, resolveTimeout, ipv6Enabled, hostsFile);
  }

  public DnsSettings withHostsFile(Path hostsFile) {
    return new DnsSettings(queryTimeout, resolveTimeout, ipv6Enabled, hostsFile);
  }

  private static void checkTimeout(Duration timeout, String name) {
    Objects.requireNonNull(timeout, name);
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
      throw new IllegalArgumentException(name + " must be in (0, " + MAX_TIMEOUT + "]: " + timeout);
    }
  }
}
