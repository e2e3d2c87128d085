package org.passerelle.testpeers;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The programs of Debian's {@code postgresql} package, which live outside the PATH in {@code
 * /usr/lib/postgresql/<major>/bin}, run as the daemon's user: PostgreSQL refuses to run as root.
 */
final class PostgresPrograms {

  /** Where Debian installs each major version's programs. */
  static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");

  static final String DEBIAN_PACKAGE = "postgresql";

  private final Path bin;
  private final String daemonUser;

  private PostgresPrograms(Path bin, String daemonUser) {
    this.bin = bin;
    this.daemonUser = daemonUser;
  }

  /**
   * The newest installed major version.
   *
   * @throws IllegalStateException naming the Debian package if none is installed; tests that need
   *     the server must fail, not be skipped
   */
  static PostgresPrograms find(Path root, String daemonUser) {
    Optional<Path> bin;
    try (Stream<Path> versions = Files.list(root)) {
      bin =
          versions
              .filter(v -> v.getFileName().toString().matches("\\d+"))
              .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())))
              .map(v -> v.resolve("bin"))
              .filter(b -> Files.isExecutable(b.resolve("postgres")));
    } catch (IOException e) {
      bin = Optional.empty();
    }
    return new PostgresPrograms(
        bin.orElseThrow(
            () ->
                new IllegalStateException(
                    "PostgreSQL is not installed (no "
                        + root
                        + "/<version>/bin/postgres); the integration tests run a real server"
                        + " from it. Install it with: apt-get install "
                        + DEBIAN_PACKAGE)),
        daemonUser);
  }

  /** The folder of the programs, e.g. {@code /usr/lib/postgresql/15/bin}. */
  Path bin() {
    return bin;
  }

  /** {@code program} with {@code args}, as the daemon's user when we are root. */
  List<String> command(String program, List<String> args) {
    List<String> command = new ArrayList<>();
    if (PeerWorkDir.runningAsRoot()) {
      // setpriv execs (runuser would fork): the process we hold is the program itself.
      command.addAll(
          List.of(
              Executables.require("setpriv", "util-linux").toString(),
              "--reuid=" + daemonUser,
              "--regid=" + daemonUser,
              "--init-groups",
              "--"));
    }
    command.add(bin.resolve(program).toString());
    command.addAll(args);
    return command;
  }

  /**
   * Runs {@code program} to its end, its output appended to {@code log}.
   *
   * @param input a file to read as standard input, or empty for none
   * @throws PeerStartException if it fails or outlasts {@code timeout}, with the tail of its log
   */
  void run(
      String program,
      List<String> args,
      Path dir,
      Path log,
      Optional<Path> input,
      Duration timeout) {
    List<String> command = command(program, args);
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(input.orElse(Path.of("/dev/null")).toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    }
    if (!Daemons.awaitExit(process, timeout)) {
      process.destroyForcibly();
      throw failure(program, "did not finish within " + timeout.toSeconds() + " s", log);
    }
    if (process.exitValue() != 0) {
      throw failure(program, "exited with status " + process.exitValue(), log);
    }
  }

  private static PeerStartException failure(String program, String what, Path log) {
    return new PeerStartException(
        program
            + " "
            + what
            + "\n--- "
            + log
            + " ---\n"
            + Daemons.tail(log, AbstractPeer.FAILURE_LOG_LINES));
  }

  @Override
  public String toString() {
    return bin + File.separator;
  }
}
