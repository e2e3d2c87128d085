package org.passerelle.testpeers;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Kamailio 5.6 (Debian packages {@code kamailio} and {@code kamailio-presence-modules}) as the
 * organisation's SIP server on one loopback address, UDP and TCP on one port, as a child of this
 * JVM in the foreground.
 *
 * <p>What it does with a request (see {@link KamailioConfigFile} for the script):
 *
 * <ul>
 *   <li>REGISTER for its domain: saved in memory, no authentication.
 *   <li>PUBLISH and SUBSCRIBE for a user of its domain: its presence server (RFC 3856, PIDF), but a
 *       SUBSCRIBE for a user of {@link KamailioConfig#userAgentPresence()} goes to the user's
 *       registered contact, record-routed, as the user is its own presence agent.
 *   <li>Other requests for a user of its domain: to that user's registered contact; 404 if there is
 *       none, 480 if the contact does not answer.
 *   <li>Requests for any other domain: to the gateway unchanged (Request-URI and all), 503 if the
 *       gateway cannot be reached; record-routed if they start a dialog.
 * </ul>
 */
public final class KamailioPeer extends AbstractPeer {

  private static final String DAEMON_USER = "kamailio";

  /** Kamailio's log format is "pid(pid) LEVEL: prefix module [file:line]: function(): text". */
  private static final Pattern FATAL_LOG_LINE = Pattern.compile(" (CRITICAL|ALERT): ");

  /** Private (per-process) memory, MB; Kamailio's default is 8. */
  private static final int PRIVATE_MEMORY_MB = 8;

  private static final Duration KILL_WAIT = Duration.ofSeconds(2);

  private final KamailioConfig config;
  private final Path kamailio;
  private Process process;

  public KamailioPeer(KamailioConfig config) {
    super(DAEMON_USER, FATAL_LOG_LINE, config.workDirParent(), config.startTimeout());
    this.config = Objects.requireNonNull(config, "config");
    this.kamailio = Executables.require("kamailio", "kamailio kamailio-presence-modules");
    KamailioModules.require("presence", "kamailio-presence-modules", kamailio);
  }

  public KamailioConfig config() {
    return config;
  }

  /** The SIP domain it serves. */
  public String domain() {
    return config.domain();
  }

  public InetAddress address() {
    return config.address();
  }

  /** Its UDP and TCP listener. */
  public InetSocketAddress sipAddress() {
    return config.socketAddress();
  }

  /** Kamailio as a user agent's outbound proxy over {@code transport}. */
  public SipHop hop(SipTransport transport) {
    return new SipHop(config.address(), config.port(), transport);
  }

  @Override
  public String toString() {
    return "Kamailio " + config;
  }

  @Override
  List<InetSocketAddress> tcpListeners() {
    return List.of(sipAddress());
  }

  @Override
  List<InetSocketAddress> udpListeners() {
    return List.of(sipAddress());
  }

  @Override
  String workDirPrefix() {
    return "kamailio-" + domain() + "-";
  }

  @Override
  void writeFiles(PeerWorkDir dir) {
    dir.mkdirs("run");
    dir.write("kamailio.cfg", KamailioConfigFile.render(config));
    dir.handOverAll();
  }

  /**
   * {@code -DD}: stay in the foreground (the process we hold is the main one, which stops its
   * workers on SIGTERM); {@code -E}: log to stderr, which goes to {@link #logFile()}.
   */
  @Override
  void launch(PeerWorkDir dir) {
    List<String> command = new ArrayList<>();
    command.add(kamailio.toString());
    command.addAll(
        List.of(
            "-f",
            dir.resolve("kamailio.cfg").toString(),
            "-DD",
            "-E",
            "-m",
            Integer.toString(config.sharedMemoryMb()),
            "-M",
            Integer.toString(PRIVATE_MEMORY_MB),
            // Its runtime directory (for control sockets) defaults to /run/kamailio.
            "-Y",
            dir.resolve("run").toString()));
    if (PeerWorkDir.runningAsRoot()) {
      // It binds its sockets as root, then drops to the package's user.
      command.addAll(List.of("-u", DAEMON_USER, "-g", DAEMON_USER));
    }
    process = Daemons.startChild(command, dir.path(), logFile());
  }

  /**
   * Ready once its routing script answers: the sockets exist before the workers that serve them.
   */
  @Override
  boolean ready() {
    return SipOptionsProbe.answers(sipAddress());
  }

  @Override
  boolean daemonAlive() {
    return process != null && process.isAlive();
  }

  @Override
  void terminate() {
    stopProcessTree(STOP_TIMEOUT);
  }

  @Override
  void kill() {
    stopProcessTree(KILL_WAIT);
  }

  @Override
  Path logFile() {
    return workDir().resolve("kamailio.log");
  }

  /**
   * SIGTERM to the main process, which stops its workers; SIGKILL to all of them if that takes
   * longer than {@code timeout}, since killed workers would otherwise keep the sockets.
   */
  private void stopProcessTree(Duration timeout) {
    List<ProcessHandle> workers = process.descendants().toList();
    process.destroy();
    if (Daemons.awaitExit(process, timeout)) {
      workers.forEach(worker -> Daemons.await(() -> !worker.isAlive(), timeout));
    }
    for (ProcessHandle worker : workers) {
      worker.destroyForcibly();
    }
    process.destroyForcibly();
    Daemons.awaitExit(process, timeout);
  }
}
