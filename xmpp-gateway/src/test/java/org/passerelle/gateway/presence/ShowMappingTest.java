package org.passerelle.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.passerelle.gateway.presence.ShowMapping.Rpid;
import org.passerelle.gateway.presence.ShowMapping.Rule;
import org.passerelle.model.config.ConfigException;

/** The show ⇄ RPID table as data: its default rows, and operators' overrides. */
class ShowMappingTest {
  private final ShowMapping defaults = ShowMapping.defaults();

  @Test
  void defaultWritingRowsAreTheDocumentedOnes() {
    assertThat(defaults.toRpid(Show.NONE)).isEqualTo(Rpid.NOTHING);
    assertThat(defaults.toRpid(Show.CHAT)).isEqualTo(Rpid.NOTHING);
    assertThat(defaults.toRpid(Show.AWAY)).isEqualTo(new Rpid(RpidActivity.AWAY, false));
    assertThat(defaults.toRpid(Show.XA)).isEqualTo(new Rpid(RpidActivity.AWAY, true));
    assertThat(defaults.toRpid(Show.DND)).isEqualTo(new Rpid(RpidActivity.BUSY, false));
  }

  @Test
  void defaultReadingRulesAreTheDocumentedOnesInOrder() {
    assertThat(defaults.activityRules())
        .containsExactly(
            new Rule(RpidActivity.BUSY, Show.DND),
            new Rule(RpidActivity.ON_THE_PHONE, Show.DND),
            new Rule(RpidActivity.MEETING, Show.DND),
            new Rule(RpidActivity.PRESENTATION, Show.DND),
            new Rule(RpidActivity.PERFORMANCE, Show.DND),
            new Rule(RpidActivity.PERMANENT_ABSENCE, Show.XA),
            new Rule(RpidActivity.VACATION, Show.XA),
            new Rule(RpidActivity.HOLIDAY, Show.XA),
            new Rule(RpidActivity.SLEEPING, Show.XA),
            new Rule(RpidActivity.AWAY, Show.AWAY),
            new Rule(RpidActivity.APPOINTMENT, Show.AWAY),
            new Rule(RpidActivity.MEAL, Show.AWAY),
            new Rule(RpidActivity.BREAKFAST, Show.AWAY),
            new Rule(RpidActivity.DINNER, Show.AWAY),
            new Rule(RpidActivity.IN_TRANSIT, Show.AWAY),
            new Rule(RpidActivity.TRAVEL, Show.AWAY));
    assertThat(defaults.userInputIdle()).contains(Show.AWAY);
  }

  @Test
  void firstRuleOfAnActivityPresentWinsAndIdleComesLast() {
    long awayAndMeeting = RpidActivity.AWAY.bit() | RpidActivity.MEETING.bit();

    assertThat(defaults.fromRpid(awayAndMeeting, true)).isEqualTo(Show.DND);
    assertThat(defaults.fromRpid(RpidActivity.WORKING.bit(), true)).isEqualTo(Show.AWAY);
    assertThat(defaults.fromRpid(RpidActivity.WORKING.bit(), false)).isNull();
    assertThat(defaults.fromRpid(0, false)).isNull();
  }

  // The brief's example: an operator maps RPID meeting to away instead of dnd.
  @Test
  void overrideChangesARuleInItsPlace() {
    ShowMapping mapping = defaults.withOverrides(Map.of("activity.meeting", "away"));

    assertThat(mapping.activityRules().get(2)).isEqualTo(new Rule(RpidActivity.MEETING, Show.AWAY));
    assertThat(mapping.fromRpid(RpidActivity.MEETING.bit(), false)).isEqualTo(Show.AWAY);
    assertThat(defaults.fromRpid(RpidActivity.MEETING.bit(), false)).isEqualTo(Show.DND);
  }

  @Test
  void overrideAddsNewRulesAfterTheOthersInMapOrder() {
    Map<String, String> rows = new LinkedHashMap<>();
    rows.put("activity.shopping", "away");
    rows.put("activity.steering", "dnd");

    ShowMapping mapping = defaults.withOverrides(rows);

    assertThat(mapping.activityRules())
        .endsWith(
            new Rule(RpidActivity.SHOPPING, Show.AWAY), new Rule(RpidActivity.STEERING, Show.DND));
  }

  @Test
  void ignoreRemovesARuleAndNoneStopsTheSearch() {
    ShowMapping mapping =
        defaults.withOverrides(
            Map.of("activity.away", "ignore", "activity.working", "none", "user-input.idle", "xa"));

    assertThat(mapping.activityRules())
        .extracting(Rule::activity)
        .doesNotContain(RpidActivity.AWAY);
    assertThat(mapping.fromRpid(RpidActivity.AWAY.bit(), false)).isNull();
    assertThat(mapping.fromRpid(RpidActivity.AWAY.bit(), true)).isEqualTo(Show.XA);
    assertThat(mapping.fromRpid(RpidActivity.WORKING.bit(), true)).isEqualTo(Show.NONE);
    assertThat(defaults.withOverrides(Map.of("user-input.idle", "ignore")).userInputIdle())
        .isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "show.xa, permanent-absence, PERMANENT_ABSENCE, false",
    "show.chat, idle, , true",
    "show.away, away+idle, AWAY, true",
    "show.dnd, none, , false",
    "Show.DND, ' On-The-Phone ', ON_THE_PHONE, false"
  })
  void overrideChangesAWritingRow(String row, String value, RpidActivity activity, boolean idle) {
    ShowMapping mapping = defaults.withOverrides(Map.of(row, value));

    Show show = Show.fromConfigName(row.substring("show.".length()).toLowerCase(Locale.ROOT));
    assertThat(mapping.toRpid(show)).isEqualTo(new Rpid(activity, idle));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "activity.meting | away | row 'activity.meting': 'meting' is not an RFC 4480 activity",
        "activity.meeting | busy | row 'activity.meeting': value 'busy' is not a show",
        "user-input.idle | sleepy | row 'user-input.idle': value 'sleepy' is not a show",
        "show.busy | away | row 'show.busy': there is no show 'busy'",
        "show.dnd | on-the-fone | row 'show.dnd': value 'on-the-fone' is not none, idle",
        "show.dnd | other | row 'show.dnd': value 'other' is not none, idle",
        "show.dnd | ' ' | row 'show.dnd': value '' is not none, idle",
        "mood.happy | chat | row 'mood.happy' is unknown",
        "user-input.active | away | row 'user-input.active' is unknown"
      })
  void invalidOverrideIsRefusedNamingTheRow(String row, String value, String message) {
    assertThatThrownBy(() -> defaults.withOverrides(Map.of(row, value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }

  @Test
  void refusalListsWhatIsAllowed() {
    assertThatThrownBy(() -> defaults.withOverrides(Map.of("activity.meeting", "busy")))
        .hasMessageEndingWith("(one of: none, chat, away, xa, dnd, ignore)");
    assertThatThrownBy(() -> defaults.withOverrides(Map.of("activity.x", "away")))
        .hasMessageContaining("appointment, away, breakfast");
  }

  @Test
  void noOverrideIsTheSameTable() {
    assertThat(defaults.withOverrides(Map.of())).isEqualTo(defaults).hasSameHashCodeAs(defaults);
  }

  @Test
  void toStringListsEveryRowAsConfigurationWritesIt() {
    assertThat(defaults.toString())
        .startsWith("ShowMapping[show.none=none, show.chat=none, show.away=away, show.xa=away+idle")
        .contains("activity.meeting=dnd")
        .endsWith("user-input.idle=away]");
  }

  @Test
  void otherIsNeverWritten() {
    assertThatThrownBy(() -> new Rpid(RpidActivity.OTHER, false))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
