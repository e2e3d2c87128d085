package org.passerelle.testpeers;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Renders {@code prosody.cfg.lua} and the hosts file of one {@link ProsodyPeer}. */
final class ProsodyConfigFile {

  private static final String TEMPLATE =
      """
      -- Written by org.passerelle.testpeers.ProsodyPeer for one test run.
      data_path = %1$s
      certificates = %2$s
      log = { %17$s = %3$s }%18$s

      interfaces = { %4$s }
      local_interfaces = { %4$s }
      component_interface = %4$s
      c2s_ports = { %5$d }
      s2s_ports = { %6$d }
      c2s_direct_tls_ports = { }
      s2s_direct_tls_ports = { }
      legacy_ssl_ports = { }
      http_ports = { }
      https_ports = { }
      use_ipv6 = false

      -- COMPAT: Prosody: with lua-unbound it ignores /etc/hosts; read our own hosts file, and
      -- send any other query to an address where nothing answers.
      unbound = { hoststxt = %7$s; resolvconf = false; forward = %8$s }

      authentication = "internal_plain"
      c2s_require_encryption = false
      allow_unencrypted_plain_auth = true

      s2s_require_encryption = %15$s
      s2s_secure_auth = %9$s
      ssl = { certificate = %10$s; key = %11$s;%12$s }

      modules_enabled = { "roster"; "saslauth";%16$s "posix";%13$s }
      -- No offline storage: a message to an absent user bounces, as with our ejabberd setup.
      -- No limits: Debian's default throttles c2s to 10 kB/s.
      modules_disabled = { "offline"; "limits" }

      VirtualHost %14$s
      """;

  /**
   * For load: the native epoll loop, bigger reads, and no time limit on a session's negotiation
   * that a busy machine could hit. Logging at info (set with these) writes a line per connection,
   * never per stanza.
   */
  private static final String LOAD_SETTINGS =
      """

      network_backend = "epoll"
      network_settings = { read_size = 65536 }
      c2s_timeout = 600
      s2s_timeout = 600""";

  private static final String COMPONENT =
      """

      Component %1$s
        component_secret = %2$s
      """;

  private ProsodyConfigFile() {}

  /** The configuration, with every path under {@code workDir}. */
  static String render(XmppPeerConfig config, Path workDir, Optional<Path> caFile) {
    boolean plain = config.security() == S2sSecurity.PLAIN;
    boolean dialback = plain || config.security() == S2sSecurity.TLS_DIALBACK;
    return TEMPLATE
            .formatted(
                lua(workDir.resolve("data")),
                lua(workDir.resolve("certs")),
                lua(workDir.resolve("prosody.log")),
                lua(config.address().getHostAddress()),
                XmppPeer.C2S_PORT,
                XmppPeer.S2S_PORT,
                lua(workDir.resolve("hosts")),
                lua(XmppPeerConfig.DEAD_DNS_SERVER),
                dialback ? "false" : "true",
                lua(workDir.resolve("certs/" + config.domain() + ".crt")),
                lua(workDir.resolve("certs/" + config.domain() + ".key")),
                caFile.map(ca -> " cafile = " + lua(ca) + ";").orElse(""),
                dialback ? " \"dialback\";" : "",
                lua(config.domain()),
                plain ? "false" : "true",
                // Without "tls" Prosody neither offers nor attempts STARTTLS, either way.
                plain ? "" : " \"tls\";",
                config.tunedForLoad() ? "info" : "debug",
                config.tunedForLoad() ? LOAD_SETTINGS : "")
            .replace("\nVirtualHost ", componentPorts(config) + "\nVirtualHost ")
        + components(config);
  }

  /** A global option: it must come before the first host section. */
  private static String componentPorts(XmppPeerConfig config) {
    return config.components().isEmpty()
        ? ""
        : "component_ports = { " + XmppPeerConfig.COMPONENT_PORT + " }\n";
  }

  private static String components(XmppPeerConfig config) {
    StringBuilder text = new StringBuilder();
    config
        .components()
        .forEach((domain, secret) -> text.append(COMPONENT.formatted(lua(domain), lua(secret))));
    return text.toString();
  }

  /** A hosts(5) file mapping the other test domains to their addresses. */
  static String hosts(Map<String, InetAddress> hosts) {
    StringBuilder text = new StringBuilder("# Written by org.passerelle.testpeers.ProsodyPeer\n");
    hosts.forEach(
        (name, address) ->
            text.append(address.getHostAddress()).append(' ').append(name).append('\n'));
    return text.toString();
  }

  private static String lua(Path path) {
    return lua(path.toAbsolutePath().toString());
  }

  /** A Lua string literal. */
  static String lua(String value) {
    if (value.chars().anyMatch(c -> c < 0x20)) {
      throw new IllegalArgumentException("control character in " + value);
    }
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
