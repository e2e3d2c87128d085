package org.passerelle.model.address;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class JidEscapingTest {

  // XEP-0106 §5.1, JID examples 1 to 8 and 12: user input and escaped localpart.
  @ParameterizedTest(name = "{0} <-> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          space cadet        | space\\20cadet
          call me "ishmael"  | call\\20me\\20\\22ishmael\\22
          at&t guy           | at\\26t\\20guy
          d'artagnan         | d\\27artagnan
          /.fanboy           | \\2f.fanboy
          ::foo::            | \\3a\\3afoo\\3a\\3a
          <foo>              | \\3cfoo\\3e
          user@host          | user\\40host
          c:\\5commas        | c\\3a\\5c5commas
          """)
  void xep0106ExamplesEscapeAndUnescape(String raw, String escaped) {
    assertThat(JidEscaping.escapeLocalpart(raw)).isEqualTo(escaped);
    assertThat(JidEscaping.unescapeLocalpart(escaped)).isEqualTo(raw);
  }

  // XEP-0106 §4.1 rule 7 and §4.3: a backslash is escaped only before an escape sequence. The
  // §5.1 examples 9 to 11 escape it elsewhere too; both forms unescape to the same text.
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          c:\\net          | c\\3a\\net          | c\\3a\\5cnet
          c:\\\\net        | c\\3a\\\\net        | c\\3a\\5c\\5cnet
          c:\\cool stuff   | c\\3a\\cool\\20stuff | c\\3a\\5ccool\\20stuff
          """)
  void backslashIsEscapedOnlyBeforeAnEscapeSequence(String raw, String escaped, String xepExample) {
    assertThat(JidEscaping.escapeLocalpart(raw)).isEqualTo(escaped);
    assertThat(JidEscaping.unescapeLocalpart(escaped)).isEqualTo(raw);
    assertThat(JidEscaping.unescapeLocalpart(xepExample)).isEqualTo(raw);
  }

  // XEP-0106 §4.2: the IMPS example, where look-alike sequences get a \5c.
  @Test
  void lookAlikeSequencesInTheSourceAreEscaped() {
    assertThat(JidEscaping.escapeLocalpart("\\3and\\2is\\5cool"))
        .isEqualTo("\\5c3and\\2is\\5c5cool");
    assertThat(JidEscaping.unescapeLocalpart("\\5c3and\\2is\\5c5cool"))
        .isEqualTo("\\3and\\2is\\5cool");
  }

  // XEP-0106 §4.3: partial and unknown sequences are left alone both ways.
  @ParameterizedTest
  @ValueSource(strings = {"\\2plus\\2is\\4", "foo\\bar", "foob\\41r", "a\\", "a\\2"})
  void partialAndUnknownSequencesAreLeftAlone(String text) {
    assertThat(JidEscaping.escapeLocalpart(text)).isEqualTo(text);
    assertThat(JidEscaping.unescapeLocalpart(text)).isEqualTo(text);
  }

  // XEP-0106 §3.1: case is significant; \2F is not an escape sequence.
  @Test
  void upperCaseHexIsNotAnEscapeSequence() {
    assertThat(JidEscaping.unescapeLocalpart("a\\2Fb")).isEqualTo("a\\2Fb");
    assertThat(JidEscaping.escapeLocalpart("a\\2Fb")).isEqualTo("a\\2Fb");
  }

  @Test
  void textWithNothingToChangeIsReturnedAsIs() {
    String plain = "alice.o-k_99!";

    assertThat(JidEscaping.escapeLocalpart(plain)).isSameAs(plain);
    assertThat(JidEscaping.unescapeLocalpart(plain)).isSameAs(plain);
  }

  static Stream<String> generatedLocalparts() {
    return Corpus.users(400, 0x106L);
  }

  @ParameterizedTest
  @MethodSource("generatedLocalparts")
  void unescapingTheEscapedFormGivesTheSourceBack(String raw) {
    String escaped = JidEscaping.escapeLocalpart(raw);

    assertThat(escaped).doesNotContainPattern("[\"&'/:<>@ ]");
    assertThat(JidEscaping.unescapeLocalpart(escaped)).isEqualTo(raw);
    assertThat(JidEscaping.escapeLocalpart(JidEscaping.unescapeLocalpart(escaped)))
        .isEqualTo(escaped);
  }
}
