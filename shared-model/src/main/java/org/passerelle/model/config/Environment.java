package org.passerelle.model.config;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a configuration's {@code {env: NAME}} values come from: the process environment, or a map
 * in tests (Java cannot change its own environment).
 */
@FunctionalInterface
public interface Environment {
  /** The variable's value, empty when it is not set. */
  Optional<String> variable(String name);

  /** The environment this process was started with. */
  static Environment system() {
    return name -> Optional.ofNullable(System.getenv(name));
  }

  /** Exactly these variables. */
  static Environment of(Map<String, String> variables) {
    Map<String, String> copy = Map.copyOf(variables);
    return name -> Optional.ofNullable(copy.get(Objects.requireNonNull(name, "name")));
  }
}
