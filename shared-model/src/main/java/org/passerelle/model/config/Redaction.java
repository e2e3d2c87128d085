package org.passerelle.model.config;

import java.util.Optional;

/**
 * How a secret appears in a configuration's {@code toString()}, in logs and in messages: only
 * whether it is set. Records holding a secret override {@code toString()} with it; a test per
 * configuration checks that no secret leaks.
 */
public final class Redaction {
  public static final String SET = "(set)";
  public static final String NONE = "(none)";

  private Redaction() {}

  /** {@value #SET} or {@value #NONE}; never the value. */
  public static String mark(String secret) {
    return secret == null ? NONE : SET;
  }

  /** {@value #SET} or {@value #NONE}; never the value. */
  public static String mark(Optional<String> secret) {
    return secret.isPresent() ? SET : NONE;
  }
}
