package org.passerelle.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;
import org.passerelle.proxy.diagnose.Check;
import org.passerelle.proxy.diagnose.Diagnosis;
import org.passerelle.proxy.diagnose.Section;

/**
 * A diagnosis for machines, written field by field so that its shape is this class's, not the Java
 * types':
 *
 * <pre>{@code
 * {"local": "...", "remote": "...", "verdict": {"status": "ok|warn|fail", "step": "...", "text": "..."},
 *  "took-ms": 123, "sections": [{"title": "...", "checks": [
 *    {"name": "...", "status": "ok|warn|fail|skipped", "text": "...", "facts": {...}}]}]}
 * }</pre>
 */
final class DiagnosisJson {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private DiagnosisJson() {}

  static String render(Diagnosis diagnosis) {
    ObjectNode root = JSON.createObjectNode();
    root.put("local", diagnosis.localDomain());
    root.put("remote", diagnosis.remoteDomain());
    ObjectNode verdict = root.putObject("verdict");
    verdict.put("status", diagnosis.verdict().status().label());
    verdict.put("step", diagnosis.verdict().step());
    verdict.put("text", diagnosis.verdict().text());
    root.put("took-ms", diagnosis.took().toMillis());
    ArrayNode sections = root.putArray("sections");
    for (Section section : diagnosis.sections()) {
      ObjectNode node = sections.addObject();
      node.put("title", section.title());
      ArrayNode checks = node.putArray("checks");
      for (Check check : section.checks()) {
        ObjectNode item = checks.addObject();
        item.put("name", check.name());
        item.put("status", check.status().label());
        item.put("text", check.text());
        ObjectNode facts = item.putObject("facts");
        check
            .facts()
            .forEach(
                (key, value) -> {
                  if (value instanceof List<?> list) {
                    ArrayNode array = facts.putArray(key);
                    list.forEach(element -> array.add(String.valueOf(element)));
                  } else {
                    facts.put(key, String.valueOf(value));
                  }
                });
      }
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
