package org.passerelle.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.passerelle.gateway.GatewayMain;
import org.passerelle.observability.StartupPhases;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code passerelle gateway <config>}: checks the file as {@code check-config} does, then hands
 * over to {@link GatewayMain}, which owns the process's life (start, shutdown).
 */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    header = "Run the internal process (xmpp-gateway).",
    description = {
      "Runs the internal process, xmpp-gateway, until it is stopped (SIGTERM or Ctrl-C).",
      "The file is checked first, as check-config does; an error names the key and exits 2."
    })
final class GatewayCommand implements Callable<Integer> {
  @ParentCommand private Passerelle root;

  @Parameters(paramLabel = "<config>", description = "gateway.yml (see examples/gateway.yml)")
  private Path config;

  @Override
  public Integer call() throws Exception {
    start(config, root);
    return Passerelle.OK;
  }

  /** Checks {@code config} as {@code check-config} does, then runs the process until it stops. */
  static void start(Path config, Passerelle root) throws Exception {
    CheckConfigCommand.check(config, ConfigKind.GATEWAY, root);
    StartupPhases phases = StartupPhases.since(root.startedNanos());
    phases.mark("command line and check");
    GatewayMain.run(config, phases);
  }
}
