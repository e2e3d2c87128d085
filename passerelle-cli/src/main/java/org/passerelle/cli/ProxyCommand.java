package org.passerelle.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code passerelle proxy <config>}: checks the file as {@code check-config} does, then hands over
 * * to {@link org.passerelle.proxy.ProxyMain}, which owns the process's life (start, reload watch,
 * shutdown).
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
    ProcessStart.start(ConfigKind.PROXY, config, root);
    return Passerelle.OK;
  }
}
