package org.passerelle.model.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Values kept outside the configuration file, so that secrets need not be written in it: any string
 * value may be given as {@code {file: /run/secrets/link-secret}} (the file's content, without its
 * final line break; a relative path resolves against the configuration file's folder) or as {@code
 * {env: PASSERELLE_LINK_SECRET}} (an environment variable). Error messages name the key, the file
 * or the variable, never the value.
 */
final class ExternalValues {
  static final String FILE = "file";
  static final String ENV = "env";

  /** A secret file holds one value; anything larger is a wrong path, not a secret. */
  static final int MAX_FILE_BYTES = 64 * 1024;

  /** POSIX portable names (IEEE 1003.1 §8.1), which every shell can set. */
  private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  static final String FORMS = "a single value, {file: <path>} or {env: <VARIABLE>}";

  private ExternalValues() {}

  /** Whether {@code value} is written as a reference to a file or a variable. */
  static boolean isReference(YamlValue value) {
    return value.isMapping();
  }

  /**
   * The value a reference stands for.
   *
   * @param reader the section, for errors naming the key
   * @param key the key, relative to the section
   */
  static String resolve(
      ConfigReader reader, String key, YamlValue reference, Path baseDir, Environment environment) {
    if (reference.fields().size() != 1) {
      throw reader.error(key, "must be " + FORMS);
    }
    Map.Entry<String, YamlValue> only = reference.fields().entrySet().iterator().next();
    YamlValue target = only.getValue();
    if (!target.isScalar()) {
      throw reader.error(key, "must be " + FORMS);
    }
    return switch (only.getKey()) {
      case FILE -> fromFile(reader, key, baseDir.resolve(target.text()).normalize());
      case ENV -> fromEnvironment(reader, key, target.text(), environment);
      default ->
          throw reader.error(
              key, "must be " + FORMS + "; '" + only.getKey() + "' is neither file nor env");
    };
  }

  private static String fromFile(ConfigReader reader, String key, Path file) {
    byte[] content;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw reader.error(
            key,
            "file "
                + file
                + " is larger than "
                + MAX_FILE_BYTES
                + " bytes; it must hold one value");
      }
      content = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw reader.error(key, "file " + file + " does not exist");
    } catch (AccessDeniedException e) {
      throw reader.error(key, "file " + file + " is not readable by this user");
    } catch (IOException e) {
      throw reader.error(key, "file " + file + " cannot be read: " + e.getMessage());
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(content))
              .toString();
    } catch (CharacterCodingException e) {
      throw reader.error(key, "file " + file + " is not UTF-8 text");
    }
    // `echo secret > file` and most secret stores end the value with a line break.
    int end = text.length();
    while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
      end--;
    }
    return text.substring(0, end);
  }

  private static String fromEnvironment(
      ConfigReader reader, String key, String name, Environment environment) {
    if (!VARIABLE_NAME.matcher(name).matches()) {
      throw reader.error(key, "names '" + name + "', which is not an environment variable name");
    }
    return environment
        .variable(name)
        .orElseThrow(
            () -> reader.error(key, "names environment variable " + name + ", which is not set"));
  }
}
