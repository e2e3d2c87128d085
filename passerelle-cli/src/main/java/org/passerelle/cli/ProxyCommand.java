package org.passerelle.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.passerelle.observability.StartupPhases;
import org.passerelle.proxy.ProxyMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code passerelle proxy <config>}: checks the file as {@code check-config} does, then hands over
 * to {@link ProxyMain}, which owns the process's life (start, reload watch, shutdown).
 */
@Command(
    name = "proxy",
    mixinStandardHelpOptions = true,
    header = "Run the edge process (xmpp-proxy).",
    description = {
      "Runs the edge process, xmpp-proxy, until it is stopped (SIGTERM or Ctrl-C).",
      "The file is checked first, as check-config does; an error names the key and exits 2."
    })
final class ProxyCommand implements Callable<Integer> {
  @ParentCommand private Passerelle root;

  @Parameters(paramLabel = "<config>", description = "proxy.yml (see examples/proxy.yml)")
  private Path config;

  @Override
  public Integer call() throws Exception {
    start(config, root);
    return Passerelle.OK;
  }

  /** Checks {@code config} as {@code check-config} does, then runs the process until it stops. */
  static void start(Path config, Passerelle root) throws Exception {
    CheckConfigCommand.check(config, ConfigKind.PROXY, root);
    StartupPhases phases = StartupPhases.since(root.startedNanos());
    phases.mark("command line and check");
    ProxyMain.run(config, phases);
  }
}
