package org.passerelle.cli;

import java.util.List;
import org.passerelle.observability.ConsoleLogging;

/**
 * Chooses the logging configuration before anything logs: the processes log as {@link
 * ConsoleLogging} configures them in code (decision 22); the tools ({@code check-config}, {@code
 * diagnose}) log warnings only, to standard error, so that their report alone is on standard
 * output. {@code -Dlogback.configurationFile} still wins; {@code -Dpasserelle.log.level=DEBUG}
 * makes any of them talk more.
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
    switch (command) {
      case "proxy", "gateway" -> ConsoleLogging.use(command);
      default -> System.setProperty(PROPERTY, TOOLS);
    }
  }
}
