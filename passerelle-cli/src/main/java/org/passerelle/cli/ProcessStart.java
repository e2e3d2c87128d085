package org.passerelle.cli;

import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import org.passerelle.gateway.GatewayMain;
import org.passerelle.observability.StartupPhases;
import org.passerelle.proxy.ProxyMain;

/**
 * {@code proxy <config>} or {@code gateway <config>}, the command lines that start a process, read
 * without picocli (decision 24). Picocli ships Java 5 class files: the class-data archive cannot
 * hold them and the JVM checks them with its old verifier, so building its model of the commands
 * took 170–250 ms of every start. These two words need none of it. Every other command line
 * (options, {@code @file} arguments, help, a missing or extra argument) goes to picocli as before.
 */
final class ProcessStart {
  private final ConfigKind kind;
  private final Path config;

  private ProcessStart(ConfigKind kind, Path config) {
    this.kind = kind;
    this.config = config;
  }

  /** The start {@code args} ask for, or empty when picocli should read them. */
  static Optional<ProcessStart> of(String[] args) {
    if (args.length != 2 || args[1].isEmpty() || "-@".indexOf(args[1].charAt(0)) >= 0) {
      return Optional.empty();
    }
    ConfigKind kind =
        switch (args[0]) {
          case "proxy" -> ConfigKind.PROXY;
          case "gateway" -> ConfigKind.GATEWAY;
          default -> null;
        };
    if (kind == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new ProcessStart(kind, Path.of(args[1])));
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
  }

  ConfigKind kind() {
    return kind;
  }

  Path config() {
    return config;
  }

  /**
   * Checks the file and runs the process until it stops, as the picocli command would.
   *
   * @return the exit code, failures reported on {@code err} as {@link Passerelle#commandLine} does
   */
  int run(Passerelle root, PrintWriter err) {
    try {
      start(kind, config, root);
      return Passerelle.OK;
    } catch (Exception e) {
      return Passerelle.failed(e, err);
    }
  }

  /**
   * Checks {@code config} as {@code check-config} does, then runs the process of {@code kind} until
   * it stops; the picocli commands {@code proxy} and {@code gateway} start it here too.
   */
  static void start(ConfigKind kind, Path config, Passerelle root) throws Exception {
    CheckConfigCommand.check(config, kind, root);
    StartupPhases phases = StartupPhases.since(root.startedNanos());
    phases.mark("command line and check");
    if (kind == ConfigKind.PROXY) {
      ProxyMain.run(config, phases);
    } else {
      GatewayMain.run(config, phases);
    }
  }
}
