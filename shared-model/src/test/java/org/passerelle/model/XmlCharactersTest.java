package org.passerelle.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** XML 1.0 §2.2 "Char". */
class XmlCharactersTest {
  @Test
  void textXmlCanCarryIsReturnedAsItIs() {
    String text = "tab\tLF\nCR\r é 中 🌹 \uFFFD";

    assertThat(XmlCharacters.replaceIllegal(text)).isSameAs(text);
  }

  @Test
  void controlsNonCharactersAndLoneSurrogatesAreReplaced() {
    assertThat(XmlCharacters.replaceIllegal("a\u0000b\u0001c\u000Bd\u001Fe\uFFFEf\uFFFFg\uD83Ch"))
        .isEqualTo("a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf\uFFFDg\uFFFDh");
  }

  @Test
  void aPairOfSurrogatesIsOneCharacterAndStays() {
    assertThat(XmlCharacters.replaceIllegal("\u0001🌹")).isEqualTo("\uFFFD🌹");
  }
}
