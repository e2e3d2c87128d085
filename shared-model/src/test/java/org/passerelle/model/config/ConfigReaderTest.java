package org.passerelle.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigReaderTest {

  private static ConfigReader parse(String yaml) {
    return ConfigReader.parse(yaml, Path.of("/etc/passerelle"), "test.yml");
  }

  @Test
  void scalarsAreTypedAsYaml12sCoreSchemaTypesThem() {
    ConfigReader root =
        parse(
            """
            on: true
            off: False
            answer: yes
            quoted: "true"
            port: 5269
            signed: +7
            text-number: "5269"
            """);

    assertThat(root.bool("on", false)).isTrue();
    assertThat(root.bool("off", true)).isFalse();
    assertThat(root.string("answer", null)).isEqualTo("yes");
    assertThatThrownBy(() -> root.bool("answer", false))
        .hasMessage("answer must be true or false, was 'yes'");
    assertThatThrownBy(() -> root.bool("quoted", false))
        .hasMessage("quoted must be true or false, was 'true'");
    assertThat(root.integer("port", 0, 1, 65535)).isEqualTo(5269);
    assertThat(root.integer("signed", 0, 0, 10)).isEqualTo(7);
    assertThatThrownBy(() -> root.integer("text-number", 0, 1, 65535))
        .hasMessage("text-number must be a whole number, was '5269'");
  }

  @Test
  void emptyAndNullValuesTakeTheDefault() {
    ConfigReader root = parse("a:\nb: ~\nc: null\n");

    assertThat(root.string("a", "default")).isEqualTo("default");
    assertThat(root.integer("b", 3, 0, 10)).isEqualTo(3);
    assertThat(root.strings("c")).isEmpty();
    assertThat(parse("").has("a")).isFalse();
    assertThat(parse("# only a comment\n").has("a")).isFalse();
  }

  @Test
  void listsSectionsAndMapsAreRead() {
    ConfigReader root =
        parse(
            """
            domains: [a.example, b.example]
            one: c.example
            limits:
              max: 5
            routes:
              x.example: 10.0.0.1:5270
            """);

    assertThat(root.strings("domains")).containsExactly("a.example", "b.example");
    assertThat(root.strings("one")).containsExactly("c.example");
    assertThat(root.section("limits").integer("max", 0, 0, 10)).isEqualTo(5);
    assertThat(root.map("routes", ConfigReader.Entry::text))
        .containsExactly(Map.entry("x.example", "10.0.0.1:5270"));
    root.finish();
  }

  @Test
  void aKeyWrittenTwiceIsRefusedWithItsLine() {
    assertThatThrownBy(() -> parse("a: 1\nb: 2\na: 3\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("test.yml: key 'a' appears twice (line 3, column 1)");
  }

  @Test
  void brokenYamlIsReportedWhereItBreaksWithoutQuotingTheLine() {
    assertThatThrownBy(() -> parse("secret: s3cr3t\n  bad: [\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("test.yml is not valid YAML at line 2")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t"));
  }

  @Test
  void tagsNamingJavaClassesAreRefused() {
    assertThatThrownBy(() -> parse("a: !!javax.script.ScriptEngineManager [x]\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "test.yml is not valid YAML at line 1, column 4: Global tag is not allowed:"
                + " tag:yaml.org,2002:javax.script.ScriptEngineManager");
  }

  @Test
  void aliasesAreFollowedButNotWithoutEnd() {
    ConfigReader root = parse("base: &b [x, y]\ncopy: *b\n");
    assertThat(root.strings("copy")).containsExactly("x", "y");

    StringBuilder laughs = new StringBuilder("a0: &a0 [lol]\n");
    for (int i = 1; i < 60; i++) {
      laughs.append("a").append(i).append(": &a").append(i);
      laughs.append(" [*a").append(i - 1).append(", *a").append(i - 1).append("]\n");
    }
    assertThatThrownBy(() -> parse(laughs.toString()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("test.yml is not valid YAML");
  }

  @Test
  void theTopLevelMustBeAMapping() {
    assertThatThrownBy(() -> parse("- a\n- b\n"))
        .hasMessage("test.yml: the top level must be a mapping of keys");
  }
}
