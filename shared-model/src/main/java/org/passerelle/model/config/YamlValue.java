package org.passerelle.model.config;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One value of a configuration file, from SnakeYAML's node tree: a mapping, a sequence, a scalar or
 * nothing. No Java objects are constructed from the YAML (SnakeYAML's {@code compose}, not {@code
 * load}), so no tag can make the parser build one, and scalars are typed here the way YAML 1.2's
 * core schema types them: {@code true}/{@code false} are booleans, {@code yes}/{@code no} are text
 * (YAML 1.1's booleans), a plain run of digits is a whole number, and anything quoted is text.
 */
final class YamlValue {

  private enum Kind {
    MISSING,
    NULL,
    SCALAR,
    MAPPING,
    SEQUENCE
  }

  /** Deeper than this is a mistake or an alias loop, not a configuration. */
  private static final int MAX_DEPTH = 64;

  private static final Pattern NULL = Pattern.compile("|~|null|Null|NULL");
  private static final Pattern BOOLEAN = Pattern.compile("true|True|TRUE|false|False|FALSE");
  private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9]+");

  static final YamlValue MISSING = new YamlValue(Kind.MISSING, null, false, Map.of(), List.of());

  private final Kind kind;
  private final String text;
  private final boolean plain;
  private final Map<String, YamlValue> fields;
  private final List<YamlValue> items;

  private YamlValue(
      Kind kind, String text, boolean plain, Map<String, YamlValue> fields, List<YamlValue> items) {
    this.kind = kind;
    this.text = text;
    this.plain = plain;
    this.fields = fields;
    this.items = items;
  }

  /** An empty mapping, what an empty file is. */
  static YamlValue emptyMapping() {
    return new YamlValue(Kind.MAPPING, null, false, Map.of(), List.of());
  }

  /**
   * The single document in {@code yaml}; {@link #MISSING} for one without content.
   *
   * @throws ConfigException naming where and why the YAML is broken, never quoting the file
   */
  static YamlValue parse(String yaml, String sourceName) {
    Node root;
    try {
      // compose builds the node tree only: it neither constructs objects nor checks duplicate keys
      // (LoaderOptions.allowDuplicateKeys is read by the constructor it skips), so of()
      // refuses them.
      root = new Yaml().compose(new StringReader(yaml));
    } catch (YAMLException e) {
      throw new ConfigException(sourceName + " is not valid YAML" + syntaxError(e));
    }
    return root == null ? MISSING : of(root, sourceName, 0);
  }

  /**
   * Where the YAML is broken and why, without the excerpt of the file SnakeYAML's message quotes:
   * that line may hold a secret.
   */
  private static String syntaxError(YAMLException e) {
    if (!(e instanceof MarkedYAMLException marked)) {
      return ": " + e.getMessage();
    }
    StringBuilder text = new StringBuilder();
    Mark mark = marked.getProblemMark();
    if (mark != null) {
      text.append(" at line ").append(mark.getLine() + 1);
      text.append(", column ").append(mark.getColumn() + 1);
    }
    List<String> problems = new ArrayList<>(2);
    if (marked.getContext() != null) {
      problems.add(marked.getContext().strip());
    }
    if (marked.getProblem() != null) {
      problems.add(marked.getProblem().strip());
    }
    return problems.isEmpty()
        ? text.toString()
        : text.append(": ").append(String.join("; ", problems)).toString();
  }

  private static YamlValue of(Node node, String sourceName, int depth) {
    if (depth > MAX_DEPTH) {
      throw new ConfigException(
          sourceName + ": nested deeper than " + MAX_DEPTH + " levels" + at(node));
    }
    if (node instanceof ScalarNode scalar) {
      boolean plain = scalar.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN;
      if (plain && NULL.matcher(scalar.getValue()).matches()) {
        return new YamlValue(Kind.NULL, null, true, Map.of(), List.of());
      }
      return new YamlValue(Kind.SCALAR, scalar.getValue(), plain, Map.of(), List.of());
    }
    if (node instanceof SequenceNode sequence) {
      List<YamlValue> items = new ArrayList<>(sequence.getValue().size());
      for (Node item : sequence.getValue()) {
        items.add(of(item, sourceName, depth + 1));
      }
      return new YamlValue(Kind.SEQUENCE, null, false, Map.of(), List.copyOf(items));
    }
    MappingNode mapping = (MappingNode) node;
    Map<String, YamlValue> fields = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
        throw new ConfigException(
            sourceName + ": a key must be a single value" + at(tuple.getKeyNode()));
      }
      if (fields.put(key.getValue(), of(tuple.getValueNode(), sourceName, depth + 1)) != null) {
        throw new ConfigException(
            sourceName + ": key '" + key.getValue() + "' appears twice" + at(key));
      }
    }
    return new YamlValue(Kind.MAPPING, null, false, Collections.unmodifiableMap(fields), List.of());
  }

  private static String at(Node node) {
    Mark mark = node.getStartMark();
    return mark == null
        ? ""
        : " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")";
  }

  boolean isMissing() {
    return kind == Kind.MISSING;
  }

  boolean isNull() {
    return kind == Kind.NULL;
  }

  /** Whether this is absent or written empty: either way, the default applies. */
  boolean isAbsent() {
    return kind == Kind.MISSING || kind == Kind.NULL;
  }

  boolean isScalar() {
    return kind == Kind.SCALAR;
  }

  boolean isMapping() {
    return kind == Kind.MAPPING;
  }

  boolean isSequence() {
    return kind == Kind.SEQUENCE;
  }

  /** A plain {@code true} or {@code false} (YAML 1.2 core schema). */
  boolean isBoolean() {
    return kind == Kind.SCALAR && plain && BOOLEAN.matcher(text).matches();
  }

  boolean booleanValue() {
    return isBoolean() && Character.toLowerCase(text.charAt(0)) == 't';
  }

  /** A plain whole number that fits an {@code int}. */
  boolean isInt() {
    if (kind != Kind.SCALAR || !plain || !INTEGER.matcher(text).matches()) {
      return false;
    }
    try {
      Integer.parseInt(text.startsWith("+") ? text.substring(1) : text);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  int intValue() {
    return Integer.parseInt(text.startsWith("+") ? text.substring(1) : text);
  }

  /** A scalar's text as written; empty for anything else. */
  String text() {
    return text == null ? "" : text;
  }

  /** A mapping's value for {@code key}, {@link #MISSING} if it has none or is no mapping. */
  YamlValue get(String key) {
    YamlValue value = fields.get(key);
    return value == null ? MISSING : value;
  }

  /** A mapping's keys and values, in the file's order. */
  Map<String, YamlValue> fields() {
    return fields;
  }

  /** A sequence's items. */
  List<YamlValue> items() {
    return items;
  }
}
