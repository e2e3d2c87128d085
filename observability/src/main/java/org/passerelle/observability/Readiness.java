package org.passerelle.observability;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a process can do its work now, and if not, why: each problem is a sentence for the
 * operator ({@code the link to 127.0.0.1:23456 for sip.example.com is down}).
 *
 * @param problems what is wrong; empty when ready
 */
public record Readiness(List<String> problems) {
  public Readiness {
    problems = List.copyOf(problems);
  }

  public boolean ready() {
    return problems.isEmpty();
  }

  /** Collects the checks of one readiness answer. */
  public static final class Check {
    private final List<String> problems = new ArrayList<>();

    /** Adds {@code problem} unless {@code condition} holds. */
    public Check require(boolean condition, String problem) {
      if (!condition) {
        problems.add(problem);
      }
      return this;
    }

    public Readiness result() {
      return new Readiness(problems);
    }
  }
}
