package org.passerelle.testpeers;

import java.nio.file.Path;
import java.util.Optional;

/** Renders {@code ejabberd.yml}, {@code ejabberdctl.cfg} and {@code inetrc} of one ejabberd. */
final class EjabberdConfigFiles {

  /** Erlang distribution port, on the peer's own address: fixed, so no epmd is started. */
  static final int DISTRIBUTION_PORT = 5210;

  private static final String EJABBERD_YML =
      """
      # Written by org.passerelle.testpeers.EjabberdPeer for one test run.
      loglevel: info
      log_rotate_count: 0
      hosts:
        - %1$s
      listen:
        - port: %3$d
          ip: %2$s
          module: ejabberd_c2s
          starttls: false
        - port: %4$d
          ip: %2$s
          module: ejabberd_s2s_in
      auth_method: internal
      auth_password_format: plain
      outgoing_s2s_ipv4_address: %2$s
      outgoing_s2s_families: [ipv4]
      # After a failed S2S attempt ejabberd bounces everything to that domain for a random
      # 0..s2s_max_retry_delay seconds (default 300).
      s2s_max_retry_delay: 2
      s2s_dns_timeout: 2
      s2s_dns_retries: 1
      s2s_use_starttls: %5$s
      certfiles:
        - %6$s
      %7$s
      modules:
        mod_roster: {}
      %8$s
      """;

  private static final String EJABBERDCTL_CFG =
      """
      # Written by org.passerelle.testpeers.EjabberdPeer; sourced by ejabberdctl --config-dir.
      ERLANG_NODE=ejabberd@%1$s
      ERL_DIST_PORT=%2$d
      INET_DIST_INTERFACE=%1$s
      SPOOL_DIR=%3$s
      LOGS_DIR=%4$s
      EJABBERD_PID_PATH=%5$s
      """;

  /**
   * Erlang's resolver, used for SRV lookups: nothing listens on the name server address, so they
   * fail at once and no query leaves loopback. A and AAAA lookups use libc (see {@link
   * SystemHosts}).
   */
  private static final String INETRC =
      """
      {lookup, ["file", "native"]}.
      {resolv_conf, ""}.
      {nameserver, {%s}, 53}.
      """;

  private EjabberdConfigFiles() {}

  static String ejabberdYml(XmppPeerConfig config, Path certfile, Optional<Path> caFile) {
    boolean plain = config.security() == S2sSecurity.PLAIN;
    boolean dialback = plain || config.security() == S2sSecurity.TLS_DIALBACK;
    return EJABBERD_YML.formatted(
        yaml(config.domain()),
        yaml(config.address().getHostAddress()),
        XmppPeer.C2S_PORT,
        XmppPeer.S2S_PORT,
        plain ? "false" : dialback ? "optional" : "required",
        yaml(certfile.toString()),
        caFile.map(ca -> "ca_file: " + yaml(ca.toString())).orElse(""),
        // Without mod_s2s_dialback only STARTTLS + SASL EXTERNAL authenticate, both ways.
        dialback ? "  mod_s2s_dialback: {}" : "");
  }

  static String ejabberdctlCfg(XmppPeerConfig config, PeerWorkDir dir) {
    return EJABBERDCTL_CFG.formatted(
        config.address().getHostAddress(),
        DISTRIBUTION_PORT,
        shell(dir.resolve("spool")),
        shell(dir.resolve("logs")),
        shell(dir.resolve("ejabberd.pid")));
  }

  static String inetrc() {
    return INETRC.formatted(XmppPeerConfig.DEAD_DNS_SERVER.replace('.', ','));
  }

  /** A double-quoted YAML scalar. */
  private static String yaml(String value) {
    if (value.chars().anyMatch(c -> c < 0x20)) {
      throw new IllegalArgumentException("control character in " + value);
    }
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  /** A path the sourcing shell takes literally. */
  private static String shell(Path path) {
    String value = path.toAbsolutePath().toString();
    if (!value.matches("[A-Za-z0-9/._%+-]+")) {
      throw new IllegalArgumentException("unsafe characters for ejabberdctl.cfg in " + value);
    }
    return value;
  }
}
