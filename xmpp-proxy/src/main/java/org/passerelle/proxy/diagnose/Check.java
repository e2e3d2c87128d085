package org.passerelle.proxy.diagnose;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One check of a diagnosis.
 *
 * @param name what was checked, a stable identifier such as {@code starttls} or {@code identity}
 * @param status how it came out
 * @param text one sentence for a person
 * @param facts details, in order, each a string or a list of strings (certificate names, records)
 */
public record Check(String name, Status status, String text, Map<String, Object> facts) {
  public Check {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(text, "text");
    facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
    for (Object value : facts.values()) {
      if (!(value instanceof String) && !(value instanceof List<?>)) {
        throw new IllegalArgumentException("a fact is a string or a list of strings: " + value);
      }
    }
  }

  public static Check of(String name, Status status, String text) {
    return new Check(name, status, text, Map.of());
  }

  /** The same check with another status and text, the facts kept. */
  Check with(Status newStatus, String newText) {
    return new Check(name, newStatus, newText, facts);
  }

  /** The same check with one more fact. */
  Check withFact(String key, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(facts);
    more.put(key, value);
    return new Check(name, status, text, more);
  }
}
