package org.passerelle.cli;

import java.util.List;
import java.util.Objects;

/**
 * What {@code check-config} found in a valid file.
 *
 * @param kind which process the file is for
 * @param summary one paragraph: what the process would do with it
 * @param warnings what needs attention but does not stop a start (a certificate near its expiry)
 */
record ConfigReport(ConfigKind kind, String summary, List<String> warnings) {
  ConfigReport {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(summary, "summary");
    warnings = List.copyOf(warnings);
  }
}
