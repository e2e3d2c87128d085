package org.passerelle.testpeers;

import java.time.Duration;

/**
 * A real server daemon started on loopback for integration tests, with a fresh working directory
 * (configuration, data, logs) per instance.
 *
 * <p>{@link #close()} stops the daemon; a JVM shutdown hook also stops any peer still running.
 */
public interface TestPeer extends AutoCloseable {

  /**
   * System property: {@code true} keeps each peer's working directory (configuration, data, logs)
   * after {@link #close()}, e.g. {@code mvn verify -Dpasserelle.testpeers.keepWorkDirs=true}.
   */
  String KEEP_WORK_DIRS_PROPERTY = "passerelle.testpeers.keepWorkDirs";

  /**
   * Writes a fresh configuration and starts the daemon; returns once it serves.
   *
   * @throws PeerStartException if it reports a critical error, exits or is not ready in time
   * @throws IllegalStateException if it is running already
   */
  void start();

  /** Stops the daemon and waits until it has exited. Does nothing if it is not running. */
  void stop();

  /** Whether the daemon process is alive. */
  boolean isRunning();

  /** The last lines of the daemon's log, for failure messages. */
  String logTail(int lines);

  /**
   * Waits until a line of the daemon's log contains {@code fragment}; daemons flush their logs with
   * some delay.
   *
   * @return the first such line
   * @throws AssertionError on timeout, with the log's tail
   */
  String awaitLogLine(String fragment, Duration timeout);

  /** Stops the daemon and deletes its working directory (see {@link #KEEP_WORK_DIRS_PROPERTY}). */
  @Override
  void close();
}
