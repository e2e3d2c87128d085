package org.passerelle.cli;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.passerelle.model.config.ConfigException;
import org.passerelle.proxy.config.ProxyConfig;
import org.passerelle.proxy.config.ProxyConfigLoader;
import org.passerelle.proxy.diagnose.Diagnosis;
import org.passerelle.proxy.diagnose.FederationDiagnosis;
import org.passerelle.proxy.diagnose.Status;
import org.passerelle.proxy.pki.ProxyCredentials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code passerelle diagnose <domain> --config proxy.yml}. */
@Command(
    name = "diagnose",
    mixinStandardHelpOptions = true,
    header = "Show step by step why federation with a domain works or not.",
    description = {
      "Shows, step by step, what a remote operator needs to fix federation with <domain>: the"
          + " federation policy's decision; the SRV records, A/AAAA fallback or configured address;"
          + " then for each server: TCP, stream header, STARTTLS, TLS, its certificate and RFC 6125"
          + " identity, SASL EXTERNAL and dialback; and a verdict naming the first failure.",
      "Runs the proxy's own outbound streams, from this host, with the proxy's certificate and"
          + " dialback secret; it does not need the proxy to run, and listens on the proxy's address"
          + " (when free) to answer the remote's dialback call back."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:federation with the domain works (warnings may need attention)",
      "1:it does not; the verdict says where",
      "2:bad configuration or command line"
    })
final class DiagnoseCommand implements Callable<Integer> {
  @ParentCommand private Passerelle root;
  @Spec private CommandSpec spec;

  @Parameters(paramLabel = "<domain>", description = "the remote XMPP domain")
  private String domain;

  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "<proxy.yml>",
      description = "the proxy's configuration")
  private Path config;

  @Option(
      names = "--from",
      paramLabel = "<domain>",
      description = "which of our domains speaks (default: the first of domains, sorted)")
  private String from;

  @Option(names = "--json", description = "print the diagnosis as JSON")
  private boolean json;

  @Option(
      names = "--timeout",
      paramLabel = "<duration>",
      defaultValue = "10s",
      converter = Converters.Timeout.class,
      description = "longest wait for each step (default: ${DEFAULT-VALUE})")
  private Duration timeout;

  @Option(
      names = "--dns",
      paramLabel = "<host[:port]>",
      converter = Converters.NameServer.class,
      description = "ask this name server instead of the system's")
  private InetSocketAddress nameServer;

  @Option(
      names = "--callback",
      paramLabel = "<host[:port]>",
      converter = Converters.ListenAddress.class,
      description = "where to take the remote's dialback call back (default: the proxy's listen)")
  private InetSocketAddress callback;

  @Option(
      names = "--no-callback",
      description = "do not listen for the call back; dialback results are then inconclusive")
  private boolean noCallback;

  @Option(
      names = "--max-targets",
      paramLabel = "<n>",
      defaultValue = "6",
      description = "how many of the domain's servers to try (default: ${DEFAULT-VALUE})")
  private int maxTargets;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Diagnosis diagnosis;
    try {
      ProxyConfig proxy = ProxyConfigLoader.load(config, root.environment());
      ProxyCredentials credentials = ProxyCredentials.load(proxy.tls(), root.clock());
      if (maxTargets < 1) {
        throw new ConfigException("--max-targets must be at least 1");
      }
      FederationDiagnosis.Settings settings =
          new FederationDiagnosis.Settings(
              from != null ? from.toLowerCase(Locale.ROOT) : proxy.defaultDomain(),
              timeout,
              Optional.ofNullable(nameServer),
              noCallback
                  ? Optional.empty()
                  : Optional.of(callback != null ? callback : proxy.listen()),
              maxTargets);
      diagnosis = new FederationDiagnosis(proxy, credentials, settings, root.clock()).run(domain);
    } catch (ConfigException e) {
      err.println(config + ": " + e.getMessage());
      err.flush();
      return Passerelle.BAD_CONFIGURATION;
    }
    if (json) {
      out.println(DiagnosisJson.render(diagnosis));
    } else {
      DiagnosisText.render(diagnosis, out);
    }
    out.flush();
    return diagnosis.verdict().status() == Status.FAIL ? Passerelle.RUNTIME_FAILURE : Passerelle.OK;
  }
}
