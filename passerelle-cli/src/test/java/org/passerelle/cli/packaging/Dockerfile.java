package org.passerelle.cli.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The instructions of a Dockerfile that the packaging checks read, per build stage: continuation
 * lines joined, comments dropped. Enough for our own Dockerfiles, not a general parser.
 */
record Dockerfile(List<Stage> stages) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One {@code FROM} and the instructions after it. */
  record Stage(String from, String name, List<Instruction> instructions) {
    List<Instruction> all(String keyword) {
      return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }
  }

  /** An instruction: its keyword (upper case) and the rest of the line. */
  record Instruction(String keyword, String arguments) {
    /** The arguments of the exec (JSON array) form. */
    List<String> execForm() {
      try {
        JsonNode array = JSON.readTree(arguments);
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
      } catch (IOException e) {
        throw new AssertionError(keyword + " is not in exec form: " + arguments, e);
      }
    }

    /** The words of the shell-like form, options ({@code --from=...}) included. */
    List<String> words() {
      return List.of(arguments.trim().split("\\s+"));
    }
  }

  static Dockerfile read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Stage> stages = new ArrayList<>();
    List<Instruction> current = null;
    StringBuilder pending = new StringBuilder();
    for (String line : lines) {
      String trimmed = line.trim();
      if (pending.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      String text = pending.append(trimmed).toString();
      pending.setLength(0);
      int space = text.indexOf(' ');
      String keyword = text.substring(0, space).toUpperCase(Locale.ROOT);
      String arguments = text.substring(space + 1).trim();
      if (keyword.equals("FROM")) {
        String[] words = arguments.split("\\s+");
        current = new ArrayList<>();
        stages.add(new Stage(words[0], words.length == 3 ? words[2] : null, current));
      } else {
        current.add(new Instruction(keyword, arguments));
      }
    }
    return new Dockerfile(stages);
  }

  Stage last() {
    return stages.get(stages.size() - 1);
  }
}
