package org.passerelle.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Values kept outside the configuration file: {@code {file: …}} and {@code {env: …}}. */
class ExternalValuesTest {
  private static final String SECRET = "s3cret-value-never-shown";

  @TempDir Path dir;

  private ConfigReader parse(String yaml, Map<String, String> env) {
    return ConfigReader.parse(yaml, dir, "test.yml", Environment.of(env));
  }

  @Test
  void fileReferenceReadsTheFileWithoutItsFinalLineBreak() throws Exception {
    Files.writeString(dir.resolve("link-secret"), SECRET + "\n");
    ConfigReader link = parse("link: {secret: {file: link-secret}}", Map.of()).section("link");
    assertThat(link.requiredString("secret")).isEqualTo(SECRET);
  }

  @Test
  void fileReferenceKeepsInnerWhitespace() throws Exception {
    Files.writeString(dir.resolve("pw"), " two words \r\n");
    assertThat(parse("pw: {file: pw}", Map.of()).string("pw", null)).isEqualTo(" two words ");
  }

  @Test
  void absoluteFileReferenceIsUsedAsIs() throws Exception {
    Path file = Files.writeString(dir.resolve("abs"), SECRET);
    assertThat(parse("pw: {file: '" + file + "'}", Map.of()).string("pw", null)).isEqualTo(SECRET);
  }

  @Test
  void envReferenceReadsTheVariable() {
    ConfigReader root = parse("pw: {env: PASSERELLE_PW}", Map.of("PASSERELLE_PW", SECRET));
    assertThat(root.string("pw", null)).isEqualTo(SECRET);
  }

  @Test
  void mapEntriesMayBeReferencesToo() {
    ConfigReader root = parse("m: {a: {env: A}}", Map.of("A", SECRET));
    assertThat(root.map("m", ConfigReader.Entry::text)).containsEntry("a", SECRET);
  }

  @Test
  void unsetVariableIsAnErrorNamingKeyAndVariable() {
    assertThatThrownBy(
            () ->
                parse("link: {secret: {env: NOPE}}", Map.of())
                    .section("link")
                    .string("secret", null))
        .isInstanceOf(ConfigException.class)
        .hasMessage("link.secret names environment variable NOPE, which is not set");
  }

  @Test
  void missingFileIsAnErrorNamingKeyAndFile() {
    assertThatThrownBy(() -> parse("pw: {file: gone}", Map.of()).string("pw", null))
        .hasMessage("pw file " + dir.resolve("gone") + " does not exist");
  }

  @Test
  void fileThatIsNotTextIsRefusedWithoutQuotingIt() throws Exception {
    Files.write(dir.resolve("bin"), new byte[] {(byte) 0xff, (byte) 0xfe, 's'});
    assertThatThrownBy(() -> parse("pw: {file: bin}", Map.of()).string("pw", null))
        .hasMessage("pw file " + dir.resolve("bin") + " is not UTF-8 text");
  }

  @Test
  void hugeFileIsRefused() throws Exception {
    Files.write(dir.resolve("big"), new byte[ExternalValues.MAX_FILE_BYTES + 1]);
    assertThatThrownBy(() -> parse("pw: {file: big}", Map.of()).string("pw", null))
        .hasMessageContaining("is larger than 65536 bytes");
  }

  @Test
  void otherMappingsAreRefusedWithTheFormsAllowed() {
    assertThatThrownBy(() -> parse("pw: {vault: x}", Map.of()).string("pw", null))
        .hasMessage(
            "pw must be a single value, {file: <path>} or {env: <VARIABLE>}; 'vault' is neither"
                + " file nor env");
    assertThatThrownBy(() -> parse("pw: {file: a, env: B}", Map.of()).string("pw", null))
        .hasMessage("pw must be a single value, {file: <path>} or {env: <VARIABLE>}");
    assertThatThrownBy(() -> parse("pw: [a, b]", Map.of()).string("pw", null))
        .hasMessage("pw must be a single value, {file: <path>} or {env: <VARIABLE>}");
  }

  @Test
  void badVariableNameIsRefused() {
    assertThatThrownBy(() -> parse("pw: {env: 'A-B'}", Map.of()).string("pw", null))
        .hasMessage("pw names 'A-B', which is not an environment variable name");
  }

  @Test
  void literalDollarSyntaxIsNotInterpreted() {
    assertThat(parse("pw: '${HOME}'", Map.of("HOME", "x")).string("pw", null)).isEqualTo("${HOME}");
  }

  @Test
  void brokenYamlIsReportedByLineWithoutQuotingTheLine() throws Exception {
    Path file = dir.resolve("broken.yml");
    Files.writeString(
        file, "domains: [a.test]\nlink:\n  secret: \"" + SECRET + "\n", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ConfigReader.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + " is not valid YAML at line")
        .message()
        .doesNotContain(SECRET);
  }
}
