package org.passerelle.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.passerelle.model.config.ConfigException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code passerelle check-config [--proxy|--gateway] <config>}. */
@Command(
    name = "check-config",
    mixinStandardHelpOptions = true,
    header = "Check a configuration file completely, without opening a port.",
    description = {
      "Loads and validates a configuration file completely, as the process would at start, but"
          + " without opening any port: every key, the files it names (certificates, keys, CAs),"
          + " secrets from {file: ...} and {env: ...}.",
      "Prints ok and a summary of what the process would do, or the error naming the key."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the file is valid (warnings may follow the summary)", "2:it is not"})
final class CheckConfigCommand implements Callable<Integer> {
  @ParentCommand private Passerelle root;
  @Spec private CommandSpec spec;

  @ArgGroup(exclusive = true)
  private Kind kind;

  @Parameters(paramLabel = "<config>", description = "proxy.yml or gateway.yml")
  private Path config;

  /** Which process the file is for, when its keys do not tell. */
  static final class Kind {
    @Option(names = "--proxy", required = true, description = "the file is the proxy's")
    boolean proxy;

    @Option(names = "--gateway", required = true, description = "the file is the gateway's")
    boolean gateway;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ConfigReport report;
    try {
      report = check(config, kindOf(), root);
    } catch (ConfigException e) {
      err.println(config + ": " + e.getMessage());
      err.flush();
      return Passerelle.BAD_CONFIGURATION;
    }
    out.println("ok: " + config + " is a valid " + report.kind().label() + " configuration.");
    out.println(report.summary().get());
    report.warnings().forEach(warning -> out.println("warning: " + warning));
    out.flush();
    return Passerelle.OK;
  }

  private ConfigKind kindOf() {
    if (kind == null) {
      return null;
    }
    return kind.proxy ? ConfigKind.PROXY : ConfigKind.GATEWAY;
  }

  /**
   * Checks {@code file} as the configuration of {@code kind}, or of the process its keys name when
   * {@code kind} is {@code null}.
   *
   * @throws ConfigException naming the key that is wrong
   */
  static ConfigReport check(Path file, ConfigKind kind, Passerelle root) {
    ConfigKind actual = kind != null ? kind : ConfigKind.detect(file, root.environment());
    return actual == ConfigKind.PROXY
        ? ProxyConfigCheck.check(file, root.environment(), root.clock())
        : GatewayConfigCheck.check(file, root.environment(), root.clock());
  }
}
