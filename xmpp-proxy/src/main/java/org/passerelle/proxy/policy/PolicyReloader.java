package org.passerelle.proxy.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.passerelle.model.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the federation policy without a restart: checks the configuration file every few seconds
 * (federation.reload-check) and, when its content has changed, reads it again completely. A valid
 * file puts its policy in force at once; an invalid one is refused with its reason in the log, and
 * the policy in force stays. Polling the content (not watching the directory) also follows editors
 * that replace the file and configuration mounted as a symbolic link that is swapped.
 */
public final class PolicyReloader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyReloader.class);

  /** Reads the whole configuration file and returns its policy; invalid: a ConfigException. */
  @FunctionalInterface
  public interface Source {
    FederationPolicy read(Path file);
  }

  /** What one check did. */
  public enum Outcome {
    /** The file's content is what was read last time. */
    UNCHANGED,
    /** The file changed but its federation policy is the one in force. */
    SAME_POLICY,
    /** A new policy is in force. */
    RELOADED,
    /** The new content is invalid; the policy in force stays. */
    REFUSED,
    /** The file cannot be read; the policy in force stays. */
    UNREADABLE
  }

  private final Path file;
  private final Source source;
  private final FederationGate gate;
  private byte[] lastContent;
  private ScheduledExecutorService timer;

  /**
   * @param file the configuration file the policy in force was read from; its current content is
   *     taken as the one in force
   */
  public PolicyReloader(Path file, Source source, FederationGate gate) {
    this.file = Objects.requireNonNull(file, "file");
    this.source = Objects.requireNonNull(source, "source");
    this.gate = Objects.requireNonNull(gate, "gate");
    try {
      this.lastContent = Files.readAllBytes(file);
    } catch (IOException e) {
      this.lastContent = new byte[0];
    }
  }

  /** Checks the file once. */
  public synchronized Outcome check() {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      if (lastContent != null) {
        LOG.warn("cannot read {} to reload the federation policy: {}", file, e.toString());
        lastContent = null;
      }
      return Outcome.UNREADABLE;
    }
    if (Arrays.equals(content, lastContent)) {
      return Outcome.UNCHANGED;
    }
    lastContent = content;
    FederationPolicy next;
    try {
      next = source.read(file);
    } catch (ConfigException e) {
      LOG.warn(
          "federation policy not reloaded, {} is invalid: {}; the policy in force stays",
          file,
          e.getMessage());
      return Outcome.REFUSED;
    }
    if (next.equals(gate.policy())) {
      LOG.info("{} changed; its federation policy is the one in force", file);
      return Outcome.SAME_POLICY;
    }
    gate.install(next);
    LOG.info("federation policy reloaded from {}: {}", file, next.summary());
    return Outcome.RELOADED;
  }

  /** Checks every {@code interval} on a thread of its own until {@link #close()}. */
  public synchronized void start(Duration interval) {
    if (timer != null) {
      throw new IllegalStateException("already started");
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "policy-reload");
              thread.setDaemon(true);
              return thread;
            });
    long millis = interval.toMillis();
    timer.scheduleWithFixedDelay(this::checkQuietly, millis, millis, TimeUnit.MILLISECONDS);
    LOG.info("watching {} for federation policy changes every {} ms", file, millis);
  }

  private void checkQuietly() {
    try {
      check();
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again: keep watching.
      LOG.warn("federation policy reload failed; the policy in force stays", e);
    }
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
