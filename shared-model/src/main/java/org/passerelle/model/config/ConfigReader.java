package org.passerelle.model.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed, checked access to one section of a YAML configuration file. Every read declares the key;
 * {@link #finish()} then refuses any key nobody asked for, so a typo fails at start instead of
 * being ignored. Relative paths resolve against the configuration file's folder. Any string value
 * may be kept outside the file, written {@code {file: <path>}} or {@code {env: <VARIABLE>}} (see
 * {@link ExternalValues}); messages never quote such a value.
 */
public final class ConfigReader {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(us|ms|s|m|h|d)");

  private final YamlValue node;
  private final String path;
  private final Path baseDir;
  private final Environment environment;
  private final Set<String> read = new LinkedHashSet<>();
  private final List<ConfigReader> children = new ArrayList<>();

  private ConfigReader(YamlValue node, String path, Path baseDir, Environment environment) {
    this.node = node;
    this.path = path;
    this.baseDir = baseDir;
    this.environment = environment;
  }

  /** Reads a YAML file; an empty file is an empty configuration. */
  public static ConfigReader load(Path file) {
    return load(file, Environment.system());
  }

  /** Reads a YAML file whose {@code {env: NAME}} values come from {@code environment}. */
  public static ConfigReader load(Path file, Environment environment) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
    }
    Path base = file.toAbsolutePath().getParent();
    return parse(text, base, file.toString(), environment);
  }

  /** Parses YAML text; relative paths resolve against {@code baseDir}. */
  public static ConfigReader parse(String yaml, Path baseDir, String sourceName) {
    return parse(yaml, baseDir, sourceName, Environment.system());
  }

  /** As {@link #parse(String, Path, String)}, with {@code {env: NAME}} values from {@code env}. */
  public static ConfigReader parse(
      String yaml, Path baseDir, String sourceName, Environment environment) {
    Objects.requireNonNull(environment, "environment");
    YamlValue root = YamlValue.parse(yaml, sourceName);
    if (root.isAbsent()) {
      root = YamlValue.emptyMapping();
    }
    if (!root.isMapping()) {
      throw new ConfigException(sourceName + ": the top level must be a mapping of keys");
    }
    return new ConfigReader(root, "", baseDir, environment);
  }

  /** A nested section; absent sections read as empty, so every key takes its default. */
  public ConfigReader section(String key) {
    YamlValue child = value(key);
    if (!child.isAbsent() && !child.isMapping()) {
      throw error(key, "must be a mapping of keys");
    }
    ConfigReader reader =
        new ConfigReader(
            child.isMapping() ? child : YamlValue.MISSING, name(key), baseDir, environment);
    children.add(reader);
    return reader;
  }

  public boolean has(String key) {
    return !node.get(key).isMissing();
  }

  public String string(String key, String defaultValue) {
    YamlValue value = value(key);
    if (value.isAbsent()) {
      return defaultValue;
    }
    return text(key, value);
  }

  /** A single value, or what a {@code {file: …}} / {@code {env: …}} reference stands for. */
  private String text(String key, YamlValue value) {
    if (ExternalValues.isReference(value)) {
      return ExternalValues.resolve(this, key, value, baseDir, environment);
    }
    if (!value.isScalar()) {
      throw error(key, "must be " + ExternalValues.FORMS);
    }
    return value.text();
  }

  public Optional<String> optionalString(String key) {
    return Optional.ofNullable(string(key, null));
  }

  public String requiredString(String key) {
    String value = string(key, null);
    if (value == null || value.isBlank()) {
      throw error(key, "is required");
    }
    return value;
  }

  public boolean bool(String key, boolean defaultValue) {
    YamlValue value = value(key);
    if (value.isAbsent()) {
      return defaultValue;
    }
    if (!value.isBoolean()) {
      throw error(key, "must be true or false, was '" + value.text() + "'");
    }
    return value.booleanValue();
  }

  public int integer(String key, int defaultValue, int min, int max) {
    YamlValue value = value(key);
    if (value.isAbsent()) {
      return defaultValue;
    }
    if (!value.isInt()) {
      throw error(key, "must be a whole number, was '" + value.text() + "'");
    }
    int number = value.intValue();
    if (number < min || number > max) {
      throw error(key, "must be between " + min + " and " + max + ", was " + number);
    }
    return number;
  }

  /**
   * A duration written as a number with a unit: {@code 500us}, {@code 500ms}, {@code 10s}, {@code
   * 5m}, {@code 1h}, {@code 1d}; it must be longer than zero.
   */
  public Duration duration(String key, Duration defaultValue) {
    Duration duration = delay(key, defaultValue);
    if (duration.isZero()) {
      throw error(key, "must be longer than zero");
    }
    return duration;
  }

  /** A duration as {@link #duration}, or zero ({@code 0}) for a wait that is turned off. */
  public Duration delay(String key, Duration defaultValue) {
    String text = string(key, null);
    if (text == null) {
      return defaultValue;
    }
    String trimmed = text.trim().toLowerCase(Locale.ROOT);
    if (trimmed.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = DURATION.matcher(trimmed);
    if (!m.matches()) {
      throw error(key, "must be a duration such as 500ms, 30s, 5m or 1h, was '" + text + "'");
    }
    try {
      long amount = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "us" -> Duration.ofNanos(Math.multiplyExact(amount, 1_000L));
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    } catch (ArithmeticException | NumberFormatException e) {
      throw error(key, "is too long, was '" + text + "'");
    }
  }

  /** A path; relative paths resolve against the configuration file's folder. */
  public Path path(String key, Path defaultValue) {
    String text = string(key, null);
    return text == null ? defaultValue : baseDir.resolve(text).normalize();
  }

  /** A path that must name an existing, readable file. */
  public Path existingFile(String key) {
    Path file = path(key, null);
    if (file != null && !Files.isReadable(file)) {
      throw error(key, "file " + file + " does not exist or is not readable");
    }
    return file;
  }

  /** A list of paths that must each name an existing, readable file. */
  public List<Path> existingFiles(String key) {
    List<Path> files = new ArrayList<>();
    for (String name : strings(key)) {
      Path file = baseDir.resolve(name).normalize();
      if (!Files.isReadable(file)) {
        throw error(key, "file " + file + " does not exist or is not readable");
      }
      files.add(file);
    }
    return List.copyOf(files);
  }

  /** {@code host:port} (IPv6 as {@code [::1]:port}); the port may be left out. */
  public InetSocketAddress socketAddress(String key, InetSocketAddress defaultValue, int port) {
    String text = string(key, null);
    return text == null ? defaultValue : parseSocketAddress(key, text, port);
  }

  public List<String> strings(String key) {
    YamlValue value = value(key);
    if (value.isAbsent()) {
      return List.of();
    }
    if (value.isScalar()) {
      return List.of(value.text());
    }
    if (!value.isSequence()) {
      throw error(key, "must be a list");
    }
    List<String> list = new ArrayList<>();
    for (YamlValue item : value.items()) {
      if (!item.isScalar()) {
        throw error(key, "must be a list of single values");
      }
      list.add(item.text());
    }
    return List.copyOf(list);
  }

  /** A mapping of free-form keys (e.g. domain names) to values, each converted by {@code item}. */
  public <T> Map<String, T> map(String key, Function<Entry, T> item) {
    YamlValue value = value(key);
    if (value.isAbsent()) {
      return Map.of();
    }
    if (!value.isMapping()) {
      throw error(key, "must be a mapping");
    }
    Map<String, T> map = new LinkedHashMap<>();
    value
        .fields()
        .forEach((name, field) -> map.put(name, item.apply(new Entry(this, key, name, field))));
    return map;
  }

  /** One entry of a {@link #map}: its key and its value as text. */
  public static final class Entry {
    private final ConfigReader owner;
    private final String mapKey;
    private final String key;
    private final YamlValue value;

    private Entry(ConfigReader owner, String mapKey, String key, YamlValue value) {
      this.owner = owner;
      this.mapKey = mapKey;
      this.key = key;
      this.value = value;
    }

    /** The entry's own key, e.g. a domain name. */
    public String key() {
      return key;
    }

    public String text() {
      return owner.text(mapKey + "." + key, value);
    }

    public InetSocketAddress socketAddress(int defaultPort) {
      return owner.parseSocketAddress(mapKey + "." + key, text(), defaultPort);
    }

    /**
     * The entry's value as a section of keys, named {@code mapKey.key}; an empty value reads as an
     * empty section. Its keys are checked by {@link ConfigReader#finish()} like any other
     * section's.
     */
    public ConfigReader section() {
      return owner.entrySection(mapKey + "." + key, value);
    }
  }

  private ConfigReader entrySection(String key, YamlValue value) {
    if (!value.isNull() && !value.isMapping()) {
      throw error(key, "must be a mapping of keys");
    }
    ConfigReader reader =
        new ConfigReader(
            value.isMapping() ? value : YamlValue.MISSING, name(key), baseDir, environment);
    children.add(reader);
    return reader;
  }

  /** Refuses keys that no read asked for, in this section and every section read from it. */
  public void finish() {
    if (node.isMapping()) {
      for (String key : node.fields().keySet()) {
        if (!read.contains(key)) {
          throw new ConfigException(
              name(key) + ": unknown key" + (read.isEmpty() ? "" : "; known keys: " + read));
        }
      }
    }
    children.forEach(ConfigReader::finish);
  }

  /** An error about a key of this section. */
  public ConfigException error(String key, String problem) {
    return new ConfigException(name(key) + " " + problem);
  }

  private InetSocketAddress parseSocketAddress(String key, String text, int defaultPort) {
    String host = text.trim();
    int port = defaultPort;
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      if (close < 0) {
        throw error(key, "has an unclosed '[' in '" + text + "'");
      }
      String rest = host.substring(close + 1);
      host = host.substring(1, close);
      if (rest.startsWith(":")) {
        port = parsePort(key, rest.substring(1));
      } else if (!rest.isEmpty()) {
        throw error(key, "must be host:port, was '" + text + "'");
      }
    } else {
      int colon = host.lastIndexOf(':');
      if (colon >= 0 && host.indexOf(':') == colon) {
        port = parsePort(key, host.substring(colon + 1));
        host = host.substring(0, colon);
      }
    }
    if (host.isEmpty()) {
      throw error(key, "needs a host, was '" + text + "'");
    }
    return InetSocketAddress.createUnresolved(host, port);
  }

  private int parsePort(String key, String text) {
    try {
      int port = Integer.parseInt(text);
      if (port < 1 || port > 65535) {
        throw error(key, "port must be between 1 and 65535, was " + port);
      }
      return port;
    } catch (NumberFormatException e) {
      throw error(key, "port must be a number, was '" + text + "'");
    }
  }

  private YamlValue value(String key) {
    read.add(key);
    return node.get(key);
  }

  private String name(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
