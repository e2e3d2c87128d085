package org.passerelle.testpeers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Prosody 0.12 (Debian package {@code prosody}, with {@code lua-unbound}) serving one domain on one
 * loopback address, in the foreground under user {@code prosody}.
 *
 * <p>It resolves the other test domains from a hosts file of its own, so {@code /etc/hosts} is not
 * needed. Its outgoing S2S connections come from 127.0.0.1 whatever address it listens on.
 */
public final class ProsodyPeer extends AbstractXmppPeer {

  private static final String DAEMON_USER = "prosody";

  /** Prosody's file log format is "date time source level message", tab-separated. */
  private static final Pattern FATAL_LOG_LINE = Pattern.compile("\\t(error|critical)\\t");

  private static final Pattern USER_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");

  private final Path prosody;
  private Process process;

  public ProsodyPeer(XmppPeerConfig config) {
    super(config, DAEMON_USER, FATAL_LOG_LINE);
    this.prosody = Executables.require("prosody", "prosody lua-unbound");
  }

  /** Writes the account file that Prosody's {@code internal_plain} auth reads at each login. */
  @Override
  public void addUser(String user, String password) {
    requireRunning();
    if (!USER_NAME.matcher(user).matches()) {
      throw new IllegalArgumentException("use a simple lower-case user name, not " + user);
    }
    workDir()
        .write(
            "data/" + storeName(domain()) + "/accounts/" + storeName(user) + ".dat",
            "return { [\"password\"] = " + ProsodyConfigFile.lua(password) + "; };\n");
  }

  /**
   * The process id of Prosody itself (as root, {@code setpriv} execs it), e.g. to read its CPU time
   * from {@code /proc}.
   */
  public long pid() {
    requireRunning();
    return process.pid();
  }

  @Override
  public String toString() {
    return "Prosody " + config();
  }

  @Override
  String workDirPrefix() {
    return "prosody-" + domain() + "-";
  }

  @Override
  void writeFiles(PeerWorkDir dir) {
    XmppPeerConfig config = config();
    dir.mkdirs("data");
    dir.copy(config.certificate().certificatePem(), "certs/" + domain() + ".crt");
    dir.copy(config.certificate().privateKeyPem(), "certs/" + domain() + ".key");
    Optional<Path> ca = config.trustedCa().map(file -> dir.copy(file, "certs/ca.crt"));
    dir.write("hosts", ProsodyConfigFile.hosts(config.hosts()));
    dir.write("prosody.cfg.lua", ProsodyConfigFile.render(config, dir.path(), ca));
    dir.handOverAll();
  }

  @Override
  void launch(PeerWorkDir dir) {
    List<String> command = new ArrayList<>();
    if (PeerWorkDir.runningAsRoot()) {
      // setpriv execs (runuser would fork): the process we hold is Prosody itself.
      command.addAll(
          List.of(
              Executables.require("setpriv", "util-linux").toString(),
              "--reuid=" + DAEMON_USER,
              "--regid=" + DAEMON_USER,
              "--init-groups",
              "--"));
    }
    command.addAll(
        List.of(prosody.toString(), "--config", dir.resolve("prosody.cfg.lua").toString(), "-F"));
    process = Daemons.startChild(command, dir.path(), console());
  }

  @Override
  boolean daemonAlive() {
    return process != null && process.isAlive();
  }

  @Override
  void terminate() {
    process.destroy();
    if (!Daemons.awaitExit(process, STOP_TIMEOUT)) {
      process.destroyForcibly();
      Daemons.awaitExit(process, STOP_TIMEOUT);
    }
  }

  @Override
  void kill() {
    process.destroy();
    if (!Daemons.awaitExit(process, Duration.ofSeconds(2))) {
      process.destroyForcibly();
    }
  }

  @Override
  Path logFile() {
    return workDir().resolve("prosody.log");
  }

  @Override
  String consoleTail() {
    return "\n--- " + console() + " ---\n" + Daemons.tail(console(), FAILURE_LOG_LINES);
  }

  private Path console() {
    return workDir().resolve("console.log");
  }

  /** Prosody's datamanager file name encoding: every non-alphanumeric byte as %xx. */
  static String storeName(String name) {
    StringBuilder encoded = new StringBuilder();
    for (char c : name.toCharArray()) {
      if (Character.isLetterOrDigit(c) && c < 0x80) {
        encoded.append(c);
      } else {
        encoded.append('%').append(String.format("%02x", (int) c));
      }
    }
    return encoded.toString();
  }
}
