package org.passerelle.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Map;
import org.passerelle.model.config.Environment;
import picocli.CommandLine;

/** Runs {@code passerelle} in this JVM, as {@code main} would, with its output captured. */
final class Cli {
  private Cli() {}

  /** What one run printed and returned. */
  record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- out ---\n" + out + "--- err ---\n" + err;
    }
  }

  static Result run(String... args) {
    return run(Map.of(), args);
  }

  /** With exactly {@code environment} as the process environment. */
  static Result run(Map<String, String> environment, String... args) {
    CommandLine commandLine =
        Passerelle.commandLine(new Passerelle(Environment.of(environment), Clock.systemUTC()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int code = commandLine.execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
