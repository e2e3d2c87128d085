package org.passerelle.model.config;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * The admin HTTP endpoint of one process ({@code /metrics}, {@code /health/live}, {@code
 * /health/ready}, {@code /status}): off unless the configuration has an {@code admin:} section. It
 * has no authentication, so it listens on loopback unless told otherwise.
 *
 * @param listen where the endpoint listens; port 0 (tests only) picks a free port
 */
public record AdminSettings(InetSocketAddress listen) {
  /** The default host: the endpoint shows addresses and domains, so it stays on this machine. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** The proxy's default admin port (next to 5269, its S2S port, in the 9xxx range). */
  public static final int DEFAULT_PROXY_PORT = 9269;

  /** The gateway's default admin port. */
  public static final int DEFAULT_GATEWAY_PORT = 9270;

  public AdminSettings {
    Objects.requireNonNull(listen, "listen");
    if (listen.isUnresolved()) {
      throw new IllegalArgumentException("admin.listen " + listen + " is not resolved");
    }
  }

  /**
   * Reads the {@code admin:} section of {@code root}: empty when there is none, otherwise its
   * {@code listen} ({@code host:port}, default {@code 127.0.0.1:defaultPort}). An empty {@code
   * admin:} turns the endpoint on with the defaults.
   */
  public static Optional<AdminSettings> read(ConfigReader root, int defaultPort) {
    if (!root.has("admin")) {
      return Optional.empty();
    }
    ConfigReader admin = root.section("admin");
    InetSocketAddress listen =
        admin.socketAddress(
            "listen", InetSocketAddress.createUnresolved(DEFAULT_HOST, defaultPort), defaultPort);
    return Optional.of(new AdminSettings(ConfigValues.resolved(admin, "listen", listen)));
  }

  /** Whether the endpoint can be reached from other machines (it has no authentication). */
  public boolean isExposed() {
    return !listen.getAddress().isLoopbackAddress();
  }
}
