package org.passerelle.testpeers;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * ejabberd 23.01 (Debian package {@code ejabberd}) serving one domain on one loopback address.
 * {@code ejabberdctl} runs the Erlang node as user {@code ejabberd}, in the foreground as a child
 * of this JVM; every call names the instance with {@code --config-dir}, since {@code --config}
 * alone is ignored in favour of the package's configuration.
 *
 * <p>It resolves the other test domains through {@code /etc/hosts} (see {@link SystemHosts}).
 */
public final class EjabberdPeer extends AbstractXmppPeer {

  private static final String DAEMON_USER = "ejabberd";

  /** ejabberd's log format is "date time [level] <pid>@module:function:line message". */
  private static final Pattern FATAL_LOG_LINE = Pattern.compile("\\[critical\\]");

  /** Logged (at level info) once the node has loaded its modules and certificates. */
  private static final String STARTED_LOG_LINE = " is started in the node ";

  private static final Duration CTL_TIMEOUT = Duration.ofSeconds(30);

  private final Path ejabberdctl;
  private Process foreground;

  public EjabberdPeer(XmppPeerConfig config) {
    super(config, DAEMON_USER, FATAL_LOG_LINE);
    this.ejabberdctl = Executables.require("ejabberdctl", "ejabberd");
  }

  /** Registers the account with {@code ejabberdctl register} (about 0.4 s). */
  @Override
  public void addUser(String user, String password) {
    requireRunning();
    CtlResult result = ctl("register", user, domain(), password);
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          "ejabberdctl register " + user + "@" + domain() + " failed: " + result.output());
    }
  }

  @Override
  public String toString() {
    return "ejabberd " + config();
  }

  @Override
  List<InetSocketAddress> tcpListeners() {
    return List.of(
        c2sAddress(),
        s2sAddress(),
        new InetSocketAddress(address(), EjabberdConfigFiles.DISTRIBUTION_PORT));
  }

  @Override
  String workDirPrefix() {
    return "ejabberd-" + domain() + "-";
  }

  @Override
  void writeFiles(PeerWorkDir dir) {
    XmppPeerConfig config = config();
    SystemHosts.ensure(SystemHosts.ETC_HOSTS, config.hosts());
    dir.mkdirs("spool");
    dir.mkdirs("logs");
    Path certfile = dir.copy(config.certificate().combinedPem(), "certs/" + domain() + ".pem");
    Optional<Path> ca = config.trustedCa().map(file -> dir.copy(file, "certs/ca.crt"));
    dir.write("ejabberd.yml", EjabberdConfigFiles.ejabberdYml(config, certfile, ca));
    dir.write("ejabberdctl.cfg", EjabberdConfigFiles.ejabberdctlCfg(config, dir));
    dir.write("inetrc", EjabberdConfigFiles.inetrc());
    dir.handOverAll();
  }

  /**
   * Runs {@code ejabberdctl foreground} as our child: the chain ejabberdctl, su, beam.smp stays
   * attached, so beam is reaped when it exits (a detached {@code start} leaves it to PID 1, which
   * on some test machines keeps it as a zombie), and a broken configuration ends the process at
   * once. Never destroy this process to stop ejabberd: beam would keep running without it.
   */
  @Override
  void launch(PeerWorkDir dir) {
    foreground = Daemons.startChild(ctlCommand("foreground"), dir.path(), console());
  }

  /**
   * COMPAT: ejabberd: its listening sockets accept connections (into the backlog) before the node
   * has loaded modules and certificates, and it may still abort then, so also wait for the log
   * line.
   */
  @Override
  boolean ready() {
    return Daemons.accepts(c2sAddress())
        && Daemons.accepts(s2sAddress())
        && logSinceLaunch().contains(STARTED_LOG_LINE);
  }

  @Override
  boolean daemonAlive() {
    return foreground != null && foreground.isAlive();
  }

  /** {@code ejabberdctl stop}, then SIGTERM to beam (also a clean stop), then SIGKILL. */
  @Override
  void terminate() {
    Optional<Long> beam = Daemons.readPid(pidFile());
    if (foreground.isAlive()) {
      ctl("stop");
    }
    if (!awaitExit(STOP_TIMEOUT)) {
      beam.ifPresent(pid -> Daemons.signal(pid, false));
      if (!awaitExit(STOP_TIMEOUT)) {
        beam.ifPresent(pid -> Daemons.signal(pid, true));
        foreground.destroyForcibly();
        awaitExit(STOP_TIMEOUT);
      }
    }
  }

  @Override
  void kill() {
    Daemons.readPid(pidFile()).ifPresent(pid -> Daemons.signal(pid, false));
    awaitExit(Duration.ofSeconds(3));
  }

  @Override
  Path logFile() {
    return workDir().resolve("logs/ejabberd.log");
  }

  @Override
  String consoleTail() {
    return "\n--- " + console() + " ---\n" + Daemons.tail(console(), FAILURE_LOG_LINES);
  }

  private Path console() {
    return workDir().resolve("logs/console.log");
  }

  private Path pidFile() {
    return workDir().resolve("ejabberd.pid");
  }

  /** Waits until ejabberdctl has exited, which it does once beam has. */
  private boolean awaitExit(Duration timeout) {
    return Daemons.awaitExit(foreground, timeout);
  }

  private List<String> ctlCommand(String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(ejabberdctl.toString());
    command.add("--config-dir");
    command.add(workDir().path().toString());
    command.addAll(List.of(arguments));
    return command;
  }

  private record CtlResult(int exitCode, String output) {}

  private CtlResult ctl(String... arguments) {
    List<String> command = ctlCommand(arguments);
    try {
      Path output = Files.createTempFile(workDir().path(), "ctl-", ".out");
      try {
        Process process =
            new ProcessBuilder(command)
                .directory(workDir().path().toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        if (!process.waitFor(CTL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(String.join(" ", command) + " did not return");
        }
        return new CtlResult(
            process.exitValue(), Files.readString(output, StandardCharsets.UTF_8).strip());
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }
}
