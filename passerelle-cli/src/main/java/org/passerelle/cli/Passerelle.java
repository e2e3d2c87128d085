package org.passerelle.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.passerelle.model.config.ConfigException;
import org.passerelle.model.config.Environment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code passerelle} command and its entry point. */
@Command(
    name = "passerelle",
    mixinStandardHelpOptions = true,
    versionProvider = Passerelle.Version.class,
    description = "Passerelle, an XMPP-SIP federation gateway.",
    subcommands = {
      ProxyCommand.class,
      GatewayCommand.class,
      CheckConfigCommand.class,
      DiagnoseCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:ok",
      "1:a runtime failure; for diagnose: federation with the domain does not work",
      "2:a bad configuration file or command line"
    })
public final class Passerelle implements Runnable {
  public static final int OK = 0;
  public static final int RUNTIME_FAILURE = 1;
  public static final int BAD_CONFIGURATION = 2;

  @Spec private CommandSpec spec;
  private final Environment environment;
  private final Clock clock;

  /**
   * When this command line was made, first thing in {@code main}: where a process's start counts
   * from.
   */
  private final long startedNanos = System.nanoTime();

  /** With the process's environment and the system clock. */
  public Passerelle() {
    this(Environment.system(), Clock.systemUTC());
  }

  /** With the environment {@code {env: NAME}} values come from, and a clock (for tests). */
  public Passerelle(Environment environment, Clock clock) {
    this.environment = Objects.requireNonNull(environment, "environment");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public static void main(String[] args) {
    Logging.select(args);
    Passerelle root = new Passerelle();
    Optional<ProcessStart> start = ProcessStart.of(args);
    System.exit(
        start.isPresent()
            ? start.get().run(root, new PrintWriter(System.err, true))
            : commandLine(root).execute(args));
  }

  /**
   * The command line for {@code root}: configuration errors exit with {@value #BAD_CONFIGURATION}
   * and their message, other failures with {@value #RUNTIME_FAILURE} and theirs.
   */
  public static CommandLine commandLine(Passerelle root) {
    CommandLine commandLine = new CommandLine(root);
    commandLine.setExecutionExceptionHandler(
        (exception, failed, parsed) -> failed(exception, failed.getErr()));
    return commandLine;
  }

  /** Reports a command's failure on {@code err}; returns its exit code. */
  static int failed(Exception exception, PrintWriter err) {
    if (exception instanceof ConfigException) {
      err.println("configuration error: " + exception.getMessage());
      err.flush();
      return BAD_CONFIGURATION;
    }
    err.println("error: " + exception);
    err.flush();
    return RUNTIME_FAILURE;
  }

  Environment environment() {
    return environment;
  }

  long startedNanos() {
    return startedNanos;
  }

  Clock clock() {
    return clock;
  }

  /** Without a command: say which there are. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "a command is needed: proxy, gateway, check-config or diagnose");
  }

  /** The version written in the jar's manifest at build time. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Passerelle.class.getPackage().getImplementationVersion();
      return new String[] {"passerelle " + (version == null ? "(development build)" : version)};
    }
  }
}
