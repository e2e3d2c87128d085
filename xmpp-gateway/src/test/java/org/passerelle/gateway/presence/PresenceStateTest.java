package org.passerelle.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The value both directions meet in: its rules and its checks. */
class PresenceStateTest {

  @Test
  void builtStateHoldsItsValues() {
    PresenceState state =
        PresenceState.available()
            .show(Show.DND)
            .status("Busy", "en-GB")
            .priority(-5)
            .resource("desk")
            .build();

    assertThat(state.isAvailable()).isTrue();
    assertThat(state.show()).isEqualTo(Show.DND);
    assertThat(state.status()).isEqualTo("Busy");
    assertThat(state.statusLanguage()).isEqualTo("en-GB");
    assertThat(state.priority()).hasValue(-5);
    assertThat(state.resource()).isEqualTo("desk");
    assertThat(state.toBuilder().build()).isEqualTo(state).hasSameHashCodeAs(state);
    assertThat(state.toBuilder().noPriority().build().priority()).isEmpty();
  }

  @Test
  void defaultsAreNoShowNoStatusNoPriorityNoResource() {
    PresenceState state = PresenceState.unavailable().build();

    assertThat(state.isAvailable()).isFalse();
    assertThat(state.show()).isEqualTo(Show.NONE);
    assertThat(state.status()).isNull();
    assertThat(state.statusLanguage()).isNull();
    assertThat(state.priority()).isEmpty();
    assertThat(state.resource()).isNull();
  }

  // RFC 6121 §4.7.2.1: the show qualifies an available entity.
  @Test
  void unavailableStateHasNoShow() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PresenceState.unavailable().show(Show.AWAY))
        .withMessageContaining("unavailable");
  }

  // RFC 6121 §4.7.2.3.
  @ParameterizedTest
  @ValueSource(ints = {-129, 128, Integer.MAX_VALUE})
  void priorityOutOfRangeIsRefused(int priority) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PresenceState.available().priority(priority))
        .withMessageContaining("-128 to 127");
  }

  // The language becomes a SIP Content-Language header: nothing but a language tag goes there.
  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "en\r\nX-Evil: 1",
        "en_US",
        "toolonglanguage",
        "de-",
        "-de",
        "de--CH",
        "1e",
        "ü"
      })
  void statusLanguageThatIsNoLanguageTagIsRefused(String language) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PresenceState.available().status("x", language));
  }

  @Test
  void statusIsNonEmptyAndItsLanguageNeedsIt() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PresenceState.available().status("", null));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PresenceState.available().status(null, "en"));
    assertThatIllegalArgumentException().isThrownBy(() -> PresenceState.available().resource(""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"en", "de-CH", "zh-Hant-TW", "sgn-BE-FR", "x-klingon", "i-default"})
  void languageTagsAreAccepted(String language) {
    assertThat(PresenceState.available().status("x", language).build().statusLanguage())
        .isEqualTo(language);
  }

  // House style: user content is never logged.
  @Test
  void toStringShowsTheStatusLengthOnly() {
    PresenceState state =
        PresenceState.available().show(Show.AWAY).status("secret plans", "en").build();

    assertThat(state.toString())
        .doesNotContain("secret")
        .isEqualTo("PresenceState[available, show=away, status=12 chars (en)]");
  }
}
