package org.passerelle.testpeers;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL (Debian package {@code postgresql}) on one loopback address, as a child of this JVM,
 * for tests of what a pool of gateways shares.
 *
 * <p>The first start runs {@code initdb} into the peer's working directory and creates {@link
 * PostgresConfig#database()} owned by {@link PostgresConfig#user()}; later starts reuse that data.
 * Clients log in over TCP with a password (SCRAM-SHA-256); the peer itself uses the superuser over
 * a Unix socket in its working directory. Durability is not under test: the server runs with {@code
 * fsync=off}.
 */
public final class PostgresPeer extends AbstractPeer {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresPeer.class);

  private static final String DAEMON_USER = "postgres";

  /** The superuser initdb creates; reachable only over the peer's own Unix socket. */
  private static final String SUPERUSER = "postgres";

  /** PostgreSQL's default log line prefix is "%m [%p] ": time, then the pid in brackets. */
  private static final Pattern FATAL_LOG_LINE = Pattern.compile("\\] (FATAL|PANIC): ");

  /** Logged once the server accepts connections, after recovery if it needed one. */
  private static final String READY_LINE = "database system is ready to accept connections";

  private static final Duration KILL_WAIT = Duration.ofSeconds(2);

  /** How long psql may take to create a database. */
  private static final Duration SQL_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Server settings for tests: no fsync (nothing here survives the machine), little memory, and
   * enough connections for a few pools of four.
   */
  private static final List<String> SETTINGS =
      List.of(
          "fsync=off",
          "synchronous_commit=off",
          "full_page_writes=off",
          "shared_buffers=32MB",
          "max_connections=50",
          "logging_collector=off");

  private final PostgresConfig config;
  private final PostgresPrograms programs;
  private Process process;

  public PostgresPeer(PostgresConfig config) {
    super(DAEMON_USER, FATAL_LOG_LINE, config.workDirParent(), config.startTimeout());
    this.config = Objects.requireNonNull(config, "config");
    this.programs = PostgresPrograms.find(PostgresPrograms.DEBIAN_ROOT, DAEMON_USER);
  }

  public PostgresConfig config() {
    return config;
  }

  @Override
  public InetAddress address() {
    return config.address();
  }

  /** The JDBC URL of {@link PostgresConfig#database()}. */
  public String jdbcUrl() {
    return jdbcUrl(config.database());
  }

  /** The JDBC URL of {@code database} on this server. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://"
        + config.address().getHostAddress()
        + ":"
        + config.port()
        + "/"
        + PostgresConfig.name("database", database);
  }

  public String user() {
    return config.user();
  }

  public String password() {
    return config.password();
  }

  /**
   * Creates another empty database owned by {@link #user()}, e.g. one per test.
   *
   * @return its JDBC URL
   */
  public String createDatabase(String name) {
    requireRunning();
    PostgresConfig.name("database", name);
    programs.run(
        "psql",
        List.of(
            "--host=" + socketDir(),
            "--port=" + config.port(),
            "--username=" + SUPERUSER,
            "--dbname=postgres",
            "--no-psqlrc",
            "--set=ON_ERROR_STOP=1",
            "--command=CREATE DATABASE " + name + " OWNER " + config.user()),
        workDir().path(),
        workDir().resolve("psql.log"),
        Optional.empty(),
        SQL_TIMEOUT);
    return jdbcUrl(name);
  }

  @Override
  public String toString() {
    return "PostgreSQL " + config;
  }

  @Override
  List<InetSocketAddress> tcpListeners() {
    return List.of(config.socketAddress());
  }

  @Override
  String workDirPrefix() {
    return "postgres-" + config.address().getHostAddress() + "-";
  }

  /** On the first start: a database cluster, the test role and its database. */
  @Override
  void writeFiles(PeerWorkDir dir) {
    dir.mkdirs("run");
    if (Files.exists(dir.resolve("data/PG_VERSION"))) {
      return;
    }
    dir.mkdirs("data");
    programs.run(
        "initdb",
        List.of(
            "--pgdata=" + dir.resolve("data"),
            "--username=" + SUPERUSER,
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
            "--no-instructions"),
        dir.path(),
        dir.resolve("initdb.log"),
        Optional.empty(),
        config.startTimeout());
    // Single-user mode runs SQL before the server listens, one statement per line.
    Path bootstrap =
        dir.write(
            "bootstrap.sql",
            "CREATE ROLE "
                + config.user()
                + " LOGIN PASSWORD '"
                + config.password()
                + "';\nCREATE DATABASE "
                + config.database()
                + " OWNER "
                + config.user()
                + ";\n");
    programs.run(
        "postgres",
        List.of(
            "--single",
            "-D",
            dir.resolve("data").toString(),
            "-c",
            "exit_on_error=true",
            SUPERUSER),
        dir.path(),
        dir.resolve("bootstrap.log"),
        Optional.of(bootstrap),
        config.startTimeout());
  }

  /** In the foreground; it logs to stderr, which goes to {@link #logFile()}. */
  @Override
  void launch(PeerWorkDir dir) {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "-D",
            dir.resolve("data").toString(),
            "-k",
            socketDir().toString(),
            "-h",
            config.address().getHostAddress(),
            "-p",
            Integer.toString(config.port())));
    for (String setting : SETTINGS) {
      args.addAll(List.of("-c", setting));
    }
    process = Daemons.startChild(programs.command("postgres", args), dir.path(), logFile());
  }

  /** The port opens before recovery ends; the log says when it serves. */
  @Override
  boolean ready() {
    return logSinceLaunch().contains(READY_LINE) && super.ready();
  }

  @Override
  boolean daemonAlive() {
    return process != null && process.isAlive();
  }

  /** "Fast" shutdown: clients are disconnected, not waited for (SIGTERM would wait for them). */
  @Override
  void terminate() {
    stop("fast", STOP_TIMEOUT);
  }

  /** "Immediate" shutdown, for the JVM's shutdown hook: the next start recovers. */
  @Override
  void kill() {
    stop("immediate", KILL_WAIT);
  }

  @Override
  Path logFile() {
    return workDir().resolve("postgres.log");
  }

  private Path socketDir() {
    return workDir().resolve("run");
  }

  /**
   * Stops with {@code pg_ctl stop -m mode}; kills the server and its backends if that does not end
   * them within {@code timeout}, since orphaned backends would keep the shared memory.
   */
  private void stop(String mode, Duration timeout) {
    List<ProcessHandle> backends = process.descendants().toList();
    try {
      programs.run(
          "pg_ctl",
          List.of(
              "stop",
              "--pgdata=" + workDir().resolve("data"),
              "--mode=" + mode,
              "--timeout=" + Math.max(1, timeout.toSeconds()),
              "--silent"),
          workDir().path(),
          workDir().resolve("pg_ctl.log"),
          Optional.empty(),
          timeout.plusSeconds(1));
    } catch (PeerStartException e) {
      LOG.warn("{}: pg_ctl stop -m {} failed; killing it", this, mode, e);
    }
    if (Daemons.awaitExit(process, timeout)) {
      backends.forEach(backend -> Daemons.await(() -> !backend.isAlive(), timeout));
    }
    backends.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    Daemons.awaitExit(process, timeout);
  }
}
