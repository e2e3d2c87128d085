package org.passerelle.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 8048 §6.2 Table 1: resourcepart ⇄ tuple id, an xs:ID. */
class TupleIdsTest {
  /** XML Namespaces §3 NCName, for the ASCII this encoding writes. */
  private static final String ASCII_NCNAME = "[A-Za-z_][A-Za-z0-9._-]*";

  @ParameterizedTest
  @CsvSource({
    "balcony, ID-balcony",
    "Home.Office-2, ID-Home.Office-2",
    "1, ID-1",
    "my_phone, ID-my_5Fphone",
    "a b, ID-a_20b",
    "Büro, ID-B_C3_BCro",
    "a/b@c:d, ID-a_2Fb_40c_3Ad",
    "\uD83D\uDE00, ID-_F0_9F_98_80"
  })
  void resourceIsWrittenAsAnIdAndReadBack(String resource, String id) {
    assertThat(TupleIds.toTupleId(resource)).isEqualTo(id);
    assertThat(TupleIds.toResource(id)).isEqualTo(resource);
  }

  @Test
  void everyResourceGivesAnXmlNameThatComesBack() {
    Random random = new Random(8048);
    for (int n = 0; n < 2000; n++) {
      StringBuilder resource = new StringBuilder();
      int length = 1 + random.nextInt(12);
      while (resource.length() < length) {
        int cp =
            random.nextInt(4) == 0 ? 0x80 + random.nextInt(0x2FF80) : 0x20 + random.nextInt(95);
        if (Character.isDefined(cp) && (cp < 0xD800 || cp > 0xDFFF)) {
          resource.appendCodePoint(cp);
        }
      }
      String id = TupleIds.toTupleId(resource.toString());

      assertThat(id).matches(ASCII_NCNAME);
      assertThat(TupleIds.toResource(id)).isEqualTo(resource.toString());
    }
  }

  @Test
  void noResourceIsThePrefixAlone() {
    assertThat(TupleIds.toTupleId(null)).isEqualTo("ID-");
    assertThat(TupleIds.toResource("ID-")).isNull();
    assertThat(TupleIds.toResource(null)).isNull();
  }

  // Ids of other implementations are kept as they are: they still tell tuples apart.
  @ParameterizedTest
  @CsvSource({
    "t94fc3a36",
    "bs35r9",
    "ID-x_2",
    "ID-x_zz",
    "ID-x_41",
    "ID-x_C3",
    "ID-a:b",
    "id-lower"
  })
  void idNotWrittenByUsIsItsOwnResource(String id) {
    assertThat(TupleIds.toResource(id)).isEqualTo(id);
  }
}
