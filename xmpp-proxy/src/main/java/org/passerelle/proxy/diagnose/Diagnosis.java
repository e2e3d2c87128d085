package org.passerelle.proxy.diagnose;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of diagnosing federation from one local domain to one remote domain.
 *
 * @param localDomain the domain we speak for
 * @param remoteDomain the domain diagnosed
 * @param sections the checks, grouped, in the order they ran
 * @param verdict one line: ok, or the first failure
 * @param took how long the diagnosis took
 */
public record Diagnosis(
    String localDomain,
    String remoteDomain,
    List<Section> sections,
    Verdict verdict,
    Duration took) {
  public Diagnosis {
    Objects.requireNonNull(localDomain, "localDomain");
    Objects.requireNonNull(remoteDomain, "remoteDomain");
    sections = List.copyOf(sections);
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(took, "took");
  }

  /**
   * The verdict.
   *
   * @param status {@code OK}, {@code WARN} (works, or may, with something to fix) or {@code FAIL}
   * @param step the check that decided it, e.g. {@code policy}, {@code dns}, {@code identity};
   *     empty when all is well
   * @param text one line naming that step
   */
  public record Verdict(Status status, String step, String text) {
    public Verdict {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(step, "step");
      Objects.requireNonNull(text, "text");
      if (status == Status.SKIPPED) {
        throw new IllegalArgumentException("a verdict is ok, warn or fail");
      }
    }
  }
}
