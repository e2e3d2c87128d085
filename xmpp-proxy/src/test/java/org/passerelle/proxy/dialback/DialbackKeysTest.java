package org.passerelle.proxy.dialback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DialbackKeysTest {

  private static final String SECRET = "s3cr3tf0rd14lb4ck";
  private static final String STREAM_ID = "D60000229F";

  @Test
  void xep0185TestVector1() {
    DialbackKeys keys = new DialbackKeys(SECRET);

    assertThat(keys.key("xmpp.example.com", "example.org", STREAM_ID))
        .isEqualTo("37c69b1cf07a3f67c04a5ef5902fa5114f2c76fe4a2686482ba5b89323075643");
  }

  @Test
  void xep0185TestVector2() {
    DialbackKeys keys = new DialbackKeys(SECRET);

    assertThat(keys.key("montague.example", "capulet.example", STREAM_ID))
        .isEqualTo("b4835385f37fe2895af6c196b59097b16862406db80559900d96bf6fa7d23df3");
  }

  @Test
  void xep0185TestVector3() {
    DialbackKeys keys = new DialbackKeys("d14lb4ck43v3r");

    assertThat(keys.key("capulet.example", "montague.example", "417GAF25"))
        .isEqualTo("225cc5aa6a071133249d25fef42ae516fc7a86c523aa1c6980a7f73e784c972d");
  }

  @Test
  void keyIsValidForTheStreamItWasIssuedFor_xep0220_2_2_2() {
    DialbackKeys keys = new DialbackKeys(SECRET);
    String key = keys.key("montague.example", "capulet.example", STREAM_ID);

    assertThat(keys.isValid(key, "montague.example", "capulet.example", STREAM_ID)).isTrue();
  }

  @Test
  void differentStreamIdsGiveDifferentKeys_xep0185_2() {
    DialbackKeys keys = new DialbackKeys(SECRET);

    String first = keys.key("montague.example", "capulet.example", "stream-1");
    String second = keys.key("montague.example", "capulet.example", "stream-2");

    assertThat(first).isNotEqualTo(second);
    assertThat(keys.isValid(first, "montague.example", "capulet.example", "stream-2")).isFalse();
  }

  @Test
  void swappedDomainsGiveADifferentKey() {
    DialbackKeys keys = new DialbackKeys(SECRET);

    assertThat(keys.key("montague.example", "capulet.example", STREAM_ID))
        .isNotEqualTo(keys.key("capulet.example", "montague.example", STREAM_ID));
  }

  @Test
  void tamperedKeyIsInvalid() {
    DialbackKeys keys = new DialbackKeys(SECRET);
    String key = keys.key("montague.example", "capulet.example", STREAM_ID);
    char last = key.charAt(key.length() - 1);
    String tampered = key.substring(0, key.length() - 1) + (last == '0' ? '1' : '0');

    assertThat(keys.isValid(tampered, "montague.example", "capulet.example", STREAM_ID)).isFalse();
    assertThat(keys.isValid(key.substring(1), "montague.example", "capulet.example", STREAM_ID))
        .isFalse();
    assertThat(keys.isValid("", "montague.example", "capulet.example", STREAM_ID)).isFalse();
  }

  @Test
  void keyFromAnotherSecretIsInvalid() {
    String key = new DialbackKeys("another secret!!").key("a.example", "b.example", STREAM_ID);

    assertThat(new DialbackKeys(SECRET).isValid(key, "a.example", "b.example", STREAM_ID))
        .isFalse();
  }

  @Test
  void presentedKeyIgnoresHexCaseAndSurroundingWhitespace() {
    DialbackKeys keys = new DialbackKeys(SECRET);
    String key = keys.key("montague.example", "capulet.example", STREAM_ID);

    assertThat(
            keys.isValid(
                " " + key.toUpperCase() + "\n", "montague.example", "capulet.example", STREAM_ID))
        .isTrue();
  }

  @Test
  void emptyValuesFromThePeerMakeTheKeyInvalid() {
    DialbackKeys keys = new DialbackKeys(SECRET);
    String key = keys.key("montague.example", "capulet.example", STREAM_ID);

    assertThat(keys.isValid(key, "", "capulet.example", STREAM_ID)).isFalse();
    assertThat(keys.isValid(key, "montague.example", "", STREAM_ID)).isFalse();
    assertThat(keys.isValid(key, "montague.example", "capulet.example", "")).isFalse();
  }

  @Test
  void emptySecretIsRejected() {
    assertThatThrownBy(() -> new DialbackKeys(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("secret");
  }

  @Test
  void toStringDoesNotRevealTheSecret() {
    assertThat(new DialbackKeys(SECRET).toString()).doesNotContain(SECRET);
  }

  @Test
  void concurrentCallersGetTheSameKeys() throws Exception {
    DialbackKeys keys = new DialbackKeys(SECRET);
    String expected = keys.key("xmpp.example.com", "example.org", STREAM_ID);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Boolean>> tasks =
          IntStream.range(0, 8)
              .<Callable<Boolean>>mapToObj(
                  i ->
                      () ->
                          IntStream.range(0, 500)
                              .allMatch(
                                  j ->
                                      keys.key("xmpp.example.com", "example.org", STREAM_ID)
                                          .equals(expected)))
              .toList();
      for (Future<Boolean> result : pool.invokeAll(tasks)) {
        assertThat(result.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
