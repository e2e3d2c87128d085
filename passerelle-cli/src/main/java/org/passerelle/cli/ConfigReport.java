package org.passerelle.cli;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What {@code check-config} found in a valid file.
 *
 * @param kind which process the file is for
 * @param summary one paragraph: what the process would do with it, written when asked for (a
 *     process start checks its file but has no use for the summary, and writing it costs a cold JVM
 *     tens of milliseconds of string concatenation bootstraps)
 * @param warnings what needs attention but does not stop a start (a certificate near its expiry)
 */
record ConfigReport(ConfigKind kind, Supplier<String> summary, List<String> warnings) {
  ConfigReport {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(summary, "summary");
    warnings = List.copyOf(warnings);
  }
}
