package org.passerelle.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code passerelle gateway <config>}: checks the file as {@code check-config} does, then hands
 * over to {@link org.passerelle.gateway.GatewayMain}, which owns the process's life (start,
 * shutdown).
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
    ProcessStart.start(ConfigKind.GATEWAY, config, root);
    return Passerelle.OK;
  }
}
