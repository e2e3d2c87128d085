package org.passerelle.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 8048 §6.2 and §6.3: XMPP priority ⇄ PIDF contact priority. */
class ContactPriorityTest {

  // RFC 8048 §6.2: the suggested values, as the reference sheet lists them.
  @ParameterizedTest
  @CsvSource({"0, 0", "127, 1", "1, 0.007", "2, 0.015", "126, 0.992"})
  void suggestedValuesOfRfc8048(int priority, String qvalue) {
    assertThat(ContactPriority.toQvalue(priority)).isEqualTo(qvalue);
  }

  // RFC 8048 §6.2: MUST NOT map a negative priority.
  @ParameterizedTest
  @ValueSource(ints = {-1, -64, -128})
  void negativePriorityIsNotMapped(int priority) {
    assertThat(ContactPriority.toQvalue(priority)).isNull();
  }

  // RFC 8048 §6.2: the mapped values must be unique; RFC 3863 §4.1.5: at most three decimals.
  @Test
  void everyPriorityHasItsOwnQvalueAndComesBack() {
    Set<String> seen = new HashSet<>();
    for (int priority = 0; priority <= 127; priority++) {
      String qvalue = ContactPriority.toQvalue(priority);

      assertThat(qvalue).matches("0|1|0\\.[0-9]{3}");
      assertThat(seen.add(qvalue)).as("qvalue %s of %d is unique", qvalue, priority).isTrue();
      assertThat(ContactPriority.fromQvalue(qvalue)).isEqualTo(priority);
    }
  }

  @Test
  void priorityAbove127IsAnError() {
    assertThatIllegalArgumentException().isThrownBy(() -> ContactPriority.toQvalue(128));
  }

  // RFC 8048 §6.3 Table 2, for qvalues other gateways and clients write.
  @ParameterizedTest
  @CsvSource({
    "0, 0",
    "0., 0",
    "0.0, 0",
    "0.001, 1",
    "0.5, 64",
    "0.8, 102",
    "0.992, 126",
    "0.993, 127",
    "0.9999, 127",
    "1.0, 127",
    "1.000, 127",
    "' 0.5\t', 64"
  })
  void qvalueBecomesTheNearestPriorityAbove(String qvalue, int priority) {
    assertThat(ContactPriority.fromQvalue(qvalue)).isEqualTo(priority);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "2", "-0.5", "1.5", "1.0001", ".5", "0,5", "0.5x", "1e0"})
  void textThatIsNoQvalueIsMinusOne(String text) {
    assertThat(ContactPriority.fromQvalue(text)).isEqualTo(-1);
  }
}
