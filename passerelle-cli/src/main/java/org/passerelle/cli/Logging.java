package org.passerelle.cli;

import java.net.URL;
import java.security.CodeSource;
import java.util.List;
import java.util.Optional;
import org.passerelle.gateway.XmppGateway;
import org.passerelle.proxy.XmppProxy;

/**
 * Chooses the logging configuration before anything logs: each process keeps the one its own module
 * ships ({@code logback.xml} in the proxy's or the gateway's jar, which both sit on this class
 * path); the tools ({@code check-config}, {@code diagnose}) log warnings only, to standard error,
 * so that their report alone is on standard output. {@code -Dlogback.configurationFile} still wins;
 * {@code -Dpasserelle.log.level=DEBUG} makes any of them talk more.
 */
final class Logging {
  static final String PROPERTY = "logback.configurationFile";
  static final String TOOLS = "org/passerelle/cli/tools-logback.xml";

  private Logging() {}

  static void select(String[] args) {
    if (System.getProperty(PROPERTY) != null) {
      return;
    }
    String command = List.of(args).stream().filter(a -> !a.startsWith("-")).findFirst().orElse("");
    Optional<String> file =
        switch (command) {
          case "proxy" -> shippedWith(XmppProxy.class);
          case "gateway" -> shippedWith(XmppGateway.class);
          default -> Optional.of(TOOLS);
        };
    file.ifPresent(f -> System.setProperty(PROPERTY, f));
  }

  /** The {@code logback.xml} in the jar (or classes folder) that holds {@code type}. */
  private static Optional<String> shippedWith(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    if (source == null) {
      return Optional.empty();
    }
    URL location = source.getLocation();
    String base = location.toString();
    return Optional.of(
        base.endsWith(".jar") ? "jar:" + base + "!/logback.xml" : base + "logback.xml");
  }
}
