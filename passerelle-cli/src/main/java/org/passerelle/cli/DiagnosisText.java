package org.passerelle.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.passerelle.proxy.diagnose.Check;
import org.passerelle.proxy.diagnose.Diagnosis;
import org.passerelle.proxy.diagnose.Section;
import org.passerelle.proxy.diagnose.Status;

/**
 * A diagnosis for a person: one line per check ({@code ok}, {@code warn}, {@code FAIL}, {@code
 * skip}), its details under the checks that need attention, then the verdict.
 */
final class DiagnosisText {
  private static final int NAME_WIDTH = 16;

  private DiagnosisText() {}

  static void render(Diagnosis diagnosis, PrintWriter out) {
    out.println("Federation from " + diagnosis.localDomain() + " to " + diagnosis.remoteDomain());
    for (Section section : diagnosis.sections()) {
      out.println();
      out.println(section.title());
      for (Check check : section.checks()) {
        out.println(
            "  "
                + pad(label(check.status()), 5)
                + " "
                + pad(check.name(), NAME_WIDTH)
                + " "
                + check.text());
        if (check.status() == Status.WARN || check.status() == Status.FAIL) {
          details(check.facts(), out);
        }
      }
    }
    out.println();
    Diagnosis.Verdict verdict = diagnosis.verdict();
    out.println("verdict: " + label(verdict.status()) + " - " + verdict.text());
    out.println("(" + diagnosis.took().toMillis() + " ms)");
  }

  private static void details(Map<String, Object> facts, PrintWriter out) {
    facts.forEach(
        (key, value) -> {
          if (value instanceof List<?> list) {
            if (!list.isEmpty()) {
              out.println(" ".repeat(NAME_WIDTH + 9) + key + ":");
              list.forEach(item -> out.println(" ".repeat(NAME_WIDTH + 11) + item));
            }
          } else {
            out.println(" ".repeat(NAME_WIDTH + 9) + key + ": " + value);
          }
        });
  }

  static String label(Status status) {
    return switch (status) {
      case OK -> "ok";
      case WARN -> "warn";
      case FAIL -> "FAIL";
      case SKIPPED -> "skip";
    };
  }

  private static String pad(String text, int width) {
    return text.length() >= width ? text : text + " ".repeat(width - text.length());
  }
}
