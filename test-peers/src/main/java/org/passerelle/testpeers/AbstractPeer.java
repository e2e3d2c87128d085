package org.passerelle.testpeers;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start and stop steps shared by the peers: a working directory, a check that the ports are free, a
 * readiness poll that fails fast on a fatal log line, and the shutdown hook.
 */
abstract class AbstractPeer implements TestPeer {

  /** How long a stop may take before the daemon is killed. */
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  static final int FAILURE_LOG_LINES = 40;

  private static final Logger LOG = LoggerFactory.getLogger(AbstractPeer.class);

  /** Where peers claim their addresses, machine-wide (see {@link AddressLock}). */
  private static final Path LOCK_DIR =
      Path.of(System.getProperty("java.io.tmpdir"), "passerelle-test-peers");

  private AddressLock addressLock;

  /** Lifecycle of the daemon; only {@link #start()} and {@link #stop()} change it. */
  private enum State {
    STOPPED,
    RUNNING
  }

  private final String daemonUser;
  private final Pattern fatalLogLine;
  private final Path workDirParent;
  private final Duration startTimeout;
  private PeerWorkDir workDir;
  private State state = State.STOPPED;
  private long logSizeAtLaunch;

  /**
   * @param daemonUser the user the daemon runs as when we are root, owner of the working directory
   * @param fatalLogLine a log line that means the start failed
   */
  AbstractPeer(String daemonUser, Pattern fatalLogLine, Path workDirParent, Duration startTimeout) {
    this.daemonUser = Objects.requireNonNull(daemonUser, "daemonUser");
    this.fatalLogLine = Objects.requireNonNull(fatalLogLine, "fatalLogLine");
    this.workDirParent = Objects.requireNonNull(workDirParent, "workDirParent");
    this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
  }

  /** The working directory; created by the first {@link #start()}. */
  final PeerWorkDir workDir() {
    if (workDir == null) {
      throw new IllegalStateException(this + " was never started");
    }
    return workDir;
  }

  @Override
  public final synchronized void start() {
    if (state == State.RUNNING) {
      throw new IllegalStateException(this + " is running already");
    }
    // Concurrent test runs on this machine take turns on an address instead of colliding.
    addressLock = AddressLock.acquire(LOCK_DIR, address(), AddressLock.WAIT);
    try {
      requireFree();
      if (workDir == null) {
        workDir = PeerWorkDir.create(workDirParent, workDirPrefix(), daemonUser);
      }
      Instant begin = Instant.now();
      writeFiles(workDir);
      logSizeAtLaunch = Daemons.size(logFile());
      launch(workDir);
      state = State.RUNNING;
      RunningPeers.add(this);
      awaitReady(begin.plus(startTimeout));
      LOG.info(
          "{} started in {} ms, files in {}",
          this,
          Duration.between(begin, Instant.now()).toMillis(),
          workDir);
    } catch (RuntimeException e) {
      releaseAddress();
      throw e;
    }
  }

  private void releaseAddress() {
    if (addressLock != null) {
      addressLock.close();
      addressLock = null;
    }
  }

  @Override
  public final synchronized void stop() {
    if (state == State.STOPPED) {
      return;
    }
    Instant begin = Instant.now();
    try {
      terminate();
    } finally {
      state = State.STOPPED;
      RunningPeers.remove(this);
      releaseAddress();
    }
    LOG.info("{} stopped in {} ms", this, Duration.between(begin, Instant.now()).toMillis());
  }

  @Override
  public final synchronized boolean isRunning() {
    return state == State.RUNNING && daemonAlive();
  }

  @Override
  public final void close() {
    stop();
    if (workDir != null && !Boolean.getBoolean(KEEP_WORK_DIRS_PROPERTY)) {
      workDir.delete();
    }
  }

  @Override
  public final String logTail(int lines) {
    if (workDir == null) {
      return "(" + this + " was never started)";
    }
    return Daemons.tail(logFile(), lines);
  }

  @Override
  public final String awaitLogLine(String fragment, Duration timeout) {
    Objects.requireNonNull(fragment, "fragment");
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      if (workDir != null) {
        Optional<String> line =
            Daemons.readFrom(logFile(), 0).lines().filter(l -> l.contains(fragment)).findFirst();
        if (line.isPresent()) {
          return line.get();
        }
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(
            this
                + " logged no line containing '"
                + fragment
                + "' within "
                + timeout.toMillis()
                + " ms; last lines:\n"
                + logTail(FAILURE_LOG_LINES));
      }
      Daemons.pause();
    }
  }

  /** Stops the daemon from the JVM shutdown hook: quickly, and without throwing. */
  final void stopOnShutdown() {
    try {
      kill();
    } catch (RuntimeException e) {
      LOG.warn("could not stop {} on JVM shutdown", this, e);
    }
  }

  final void requireRunning() {
    if (state != State.RUNNING) {
      throw new IllegalStateException(this + " is not running");
    }
  }

  /** A start failure, with what the daemon wrote. */
  final PeerStartException startFailure(String reason) {
    return new PeerStartException(
        this
            + " "
            + reason
            + "\n--- "
            + logFile()
            + " (last "
            + FAILURE_LOG_LINES
            + " lines) ---\n"
            + logTail(FAILURE_LOG_LINES)
            + consoleTail());
  }

  /** The TCP listeners: free before a start, and by default all accepting once ready. */
  abstract List<InetSocketAddress> tcpListeners();

  /** The loopback address the peer binds, claimed machine-wide while it runs. */
  public abstract InetAddress address();

  /** The UDP sockets the daemon binds, checked free before a start; none by default. */
  List<InetSocketAddress> udpListeners() {
    return List.of();
  }

  /** The working directory's name prefix, e.g. {@code prosody-p.test-}. */
  abstract String workDirPrefix();

  /** Writes configuration, certificates and empty data directories. */
  abstract void writeFiles(PeerWorkDir dir);

  /** Launches the daemon; returns without waiting for it to be ready. */
  abstract void launch(PeerWorkDir dir);

  /** Whether the daemon process still exists. */
  abstract boolean daemonAlive();

  /** Stops the daemon cleanly, killing it after {@link #STOP_TIMEOUT}. */
  abstract void terminate();

  /** Sends the daemon SIGTERM and waits briefly; for the shutdown hook. */
  abstract void kill();

  /** The daemon's main log file. */
  abstract Path logFile();

  /** What the daemon printed to its console, if that is not in {@link #logFile()}. */
  String consoleTail() {
    return "";
  }

  /** Whether the daemon serves; by default, whether all its TCP listeners accept connections. */
  boolean ready() {
    return tcpListeners().stream().allMatch(Daemons::accepts);
  }

  /** What the daemon logged since its last launch: a restarted peer appends to the same file. */
  final String logSinceLaunch() {
    return Daemons.readFrom(logFile(), logSizeAtLaunch);
  }

  private void requireFree() {
    for (InetSocketAddress listener : tcpListeners()) {
      if (Daemons.accepts(listener)) {
        throw inUse("TCP " + listener);
      }
    }
    for (InetSocketAddress listener : udpListeners()) {
      if (!Daemons.udpFree(listener)) {
        throw inUse("UDP " + listener);
      }
    }
  }

  private PeerStartException inUse(String listener) {
    return new PeerStartException(
        this
            + ": "
            + listener
            + " is in use already, maybe by a daemon a killed test run left behind"
            + " (ps aux | grep -E 'prosody|beam|kamailio')");
  }

  private void awaitReady(Instant deadline) {
    while (true) {
      Optional<String> fatal = fatalLine();
      if (fatal.isPresent()) {
        stopAfterFailedStart();
        throw startFailure("logged a fatal error: " + fatal.get());
      }
      if (!daemonAlive()) {
        stopAfterFailedStart();
        throw startFailure("exited during start");
      }
      if (ready()) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        stopAfterFailedStart();
        throw startFailure(
            "was not ready (serving on "
                + tcpListeners()
                + ") within "
                + startTimeout.toSeconds()
                + " s");
      }
      Daemons.pause();
    }
  }

  private Optional<String> fatalLine() {
    return logSinceLaunch().lines().filter(fatalLogLine.asPredicate()).findFirst();
  }

  private void stopAfterFailedStart() {
    try {
      stop();
    } catch (RuntimeException e) {
      LOG.warn("could not stop {} after a failed start", this, e);
    }
  }
}
