package org.passerelle.proxy.it;

import java.util.Locale;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Runs a test class where Testcontainers finds a Docker engine, and reports it skipped, saying why,
 * where none is. Where Docker must be there (a CI runner that has it), set {@code
 * -Dpasserelle.requireDocker=true} or {@code PASSERELLE_REQUIRE_DOCKER=true}: the class then runs
 * and fails instead of being skipped.
 */
final class DockerAvailable implements ExecutionCondition {
  static final String REQUIRE_PROPERTY = "passerelle.requireDocker";
  static final String REQUIRE_ENV = "PASSERELLE_REQUIRE_DOCKER";

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (DockerClientFactory.instance().isDockerAvailable()) {
      return ConditionEvaluationResult.enabled("a Docker engine is available");
    }
    if (required()) {
      return ConditionEvaluationResult.enabled(
          "no Docker engine, but " + REQUIRE_PROPERTY + " is set: running, to fail");
    }
    return ConditionEvaluationResult.disabled(
        "no Docker engine found (Testcontainers looked at DOCKER_HOST, ~/.testcontainers.properties"
            + " and /var/run/docker.sock): Openfire runs only in a container, so this suite is"
            + " skipped — the one integration test allowed to be; set -D"
            + REQUIRE_PROPERTY
            + "=true where a Docker engine must be present");
  }

  private static boolean required() {
    String value = System.getProperty(REQUIRE_PROPERTY, System.getenv(REQUIRE_ENV));
    return value != null && value.trim().toLowerCase(Locale.ROOT).equals("true");
  }
}
