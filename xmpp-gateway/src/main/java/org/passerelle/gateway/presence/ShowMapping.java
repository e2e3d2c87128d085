package org.passerelle.gateway.presence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.passerelle.model.config.ConfigException;

/**
 * The gateway's table between XMPP {@code <show/>} and RPID (RFC 4480), held as data so operators
 * can change rows. Neither RFC 8048 nor RFC 7248 maps {@code <show/>} to RPID: they carry it as
 * {@code <show xmlns='jabber:client'>} inside the PIDF {@code <status>} (8048 §6.2), which this
 * gateway always does too. This table serves SIP clients that only read RPID, and SIP phones that
 * only write it.
 *
 * <p><b>Writing</b> (XMPP to SIP, in {@code <dm:person>}): one row per show.
 *
 * <table>
 *   <caption>Default rows, show to RPID</caption>
 *   <tr><th>row</th><th>{@code <show/>}</th><th>RPID written</th><th>why</th></tr>
 *   <tr><td>{@code show.none}</td><td>(none)</td><td>nothing</td><td>plainly available</td></tr>
 *   <tr><td>{@code show.chat}</td><td>chat</td><td>nothing</td>
 *       <td>RPID has no "eager to chat"</td></tr>
 *   <tr><td>{@code show.away}</td><td>away</td><td>activity {@code away}</td><td></td></tr>
 *   <tr><td>{@code show.xa}</td><td>xa</td><td>activity {@code away}, user-input {@code idle}</td>
 *       <td>SIP phones know {@code away}; idle tells it is no short break</td></tr>
 *   <tr><td>{@code show.dnd}</td><td>dnd</td><td>activity {@code busy}</td><td></td></tr>
 * </table>
 *
 * <p><b>Reading</b> (SIP to XMPP, only when a tuple carries no {@code jabber:client} show): an
 * ordered list of rules on the activities; the first rule whose activity is present wins, so when a
 * person is in a meeting and away, the most restrictive show is chosen (rules for dnd come first).
 * When no activity rule matches, {@code user-input idle} is looked at; when nothing matches, the
 * show is none (plainly available). Activities without a row (playing, working, tv, …) say nothing
 * about reachability.
 *
 * <table>
 *   <caption>Default rules, RPID to show, in order</caption>
 *   <tr><th>rows</th><th>{@code <show/>}</th></tr>
 *   <tr><td>{@code activity.busy}, {@code activity.on-the-phone}, {@code activity.meeting},
 *       {@code activity.presentation}, {@code activity.performance}</td><td>dnd</td></tr>
 *   <tr><td>{@code activity.permanent-absence}, {@code activity.vacation},
 *       {@code activity.holiday}, {@code activity.sleeping}</td><td>xa</td></tr>
 *   <tr><td>{@code activity.away}, {@code activity.appointment}, {@code activity.meal},
 *       {@code activity.breakfast}, {@code activity.dinner}, {@code activity.in-transit},
 *       {@code activity.travel}</td><td>away</td></tr>
 *   <tr><td>{@code user-input.idle} (always after the activities)</td><td>away</td></tr>
 * </table>
 *
 * <p>The first rows follow the project's reference sheet (away, permanent-absence → away, xa; busy,
 * on-the-phone, meeting → dnd; idle → away); the others are our reading of RFC 4480 §3.2.
 *
 * <p><b>Overrides</b> ({@link #withOverrides(Map)}), one entry per row, e.g. from the {@code
 * presence.show-mapping} configuration section:
 *
 * <ul>
 *   <li>{@code show.<none|chat|away|xa|dnd>}: {@code none}, {@code idle}, an activity, or an
 *       activity and {@code +idle} (e.g. {@code away+idle}).
 *   <li>{@code activity.<RFC 4480 activity>}: {@code none}, {@code chat}, {@code away}, {@code xa},
 *       {@code dnd}, or {@code ignore} to remove the rule. A rule already in the table keeps its
 *       place; a new one goes after the existing ones, in the map's iteration order.
 *   <li>{@code user-input.idle}: the same values.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class ShowMapping {
  private static final String SHOW_ROW = "show.";
  private static final String ACTIVITY_ROW = "activity.";
  private static final String IDLE_ROW = "user-input.idle";
  private static final String IDLE_SUFFIX = "+idle";
  private static final String IGNORE = "ignore";
  private static final String SHOWS = "none, chat, away, xa, dnd";

  private static final ShowMapping DEFAULTS = buildDefaults();

  /** What is written for one show: an activity or none, and user-input idle or not. */
  public record Rpid(RpidActivity activity, boolean idle) {
    /** Nothing at all: no {@code <dm:person>} is written. */
    public static final Rpid NOTHING = new Rpid(null, false);

    public Rpid {
      if (activity == RpidActivity.OTHER) {
        throw new IllegalArgumentException("the activity 'other' needs a text and is not written");
      }
    }

    public boolean isNothing() {
      return activity == null && !idle;
    }
  }

  /** One reading rule: when {@code activity} is present, the show is {@code show}. */
  public record Rule(RpidActivity activity, Show show) {
    public Rule {
      Objects.requireNonNull(activity, "activity");
      Objects.requireNonNull(show, "show");
    }
  }

  private final Rpid[] toRpid;
  private final Rule[] rules;
  private final Show idleShow;

  private ShowMapping(Rpid[] toRpid, Rule[] rules, Show idleShow) {
    this.toRpid = toRpid;
    this.rules = rules;
    this.idleShow = idleShow;
  }

  /** The table in the class comment. */
  public static ShowMapping defaults() {
    return DEFAULTS;
  }

  /**
   * This table with some rows changed (see the class comment for the rows and their values).
   *
   * @throws ConfigException naming the first row whose key or value is wrong
   */
  public ShowMapping withOverrides(Map<String, String> overrides) {
    Rpid[] newToRpid = toRpid.clone();
    List<Rule> newRules = new ArrayList<>(Arrays.asList(rules));
    Show newIdleShow = idleShow;
    for (Map.Entry<String, String> entry : overrides.entrySet()) {
      String row = Objects.requireNonNull(entry.getKey(), "row").trim().toLowerCase(Locale.ROOT);
      String value = entry.getValue() == null ? "" : entry.getValue().trim();
      value = value.toLowerCase(Locale.ROOT);
      if (row.startsWith(SHOW_ROW)) {
        Show show = Show.fromConfigName(row.substring(SHOW_ROW.length()));
        if (show == null) {
          throw invalid(row, "there is no show '" + row.substring(SHOW_ROW.length()) + "'", SHOWS);
        }
        newToRpid[show.ordinal()] = parseRpid(row, value);
      } else if (row.startsWith(ACTIVITY_ROW)) {
        String name = row.substring(ACTIVITY_ROW.length());
        RpidActivity activity = RpidActivity.fromXmlName(name);
        if (activity == null) {
          throw invalid(row, "'" + name + "' is not an RFC 4480 activity", activityNames());
        }
        Show show = parseReadValue(row, value);
        int at = indexOf(newRules, activity);
        if (show == null) {
          if (at >= 0) {
            newRules.remove(at);
          }
        } else if (at >= 0) {
          newRules.set(at, new Rule(activity, show));
        } else {
          newRules.add(new Rule(activity, show));
        }
      } else if (row.equals(IDLE_ROW)) {
        newIdleShow = parseReadValue(row, value);
      } else {
        throw new ConfigException(
            "show mapping row '"
                + row
                + "' is unknown; rows are show.<none|chat|away|xa|dnd>, activity.<RFC 4480"
                + " activity> and user-input.idle");
      }
    }
    return new ShowMapping(newToRpid, newRules.toArray(new Rule[0]), newIdleShow);
  }

  /** The RPID written for a show (writing row). */
  public Rpid toRpid(Show show) {
    return toRpid[show.ordinal()];
  }

  /** The reading rules on activities, in the order they are tried. */
  public List<Rule> activityRules() {
    return List.of(rules);
  }

  /** The show for {@code user-input idle}, tried after every activity rule; empty if none. */
  public Optional<Show> userInputIdle() {
    return Optional.ofNullable(idleShow);
  }

  /**
   * The show RPID information means, or {@code null} if no rule applies.
   *
   * @param activities a set of {@link RpidActivity#bit()}s
   */
  Show fromRpid(long activities, boolean idle) {
    if (activities != 0) {
      for (Rule rule : rules) {
        if ((activities & rule.activity().bit()) != 0) {
          return rule.show();
        }
      }
    }
    return idle ? idleShow : null;
  }

  @Override
  public boolean equals(Object o) {
    return o == this
        || (o instanceof ShowMapping other
            && Arrays.equals(toRpid, other.toRpid)
            && Arrays.equals(rules, other.rules)
            && idleShow == other.idleShow);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(toRpid), Arrays.hashCode(rules), idleShow);
  }

  /** The rows as configuration would write them, for the start-up log. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(512).append("ShowMapping[");
    for (Show show : Show.values()) {
      out.append(SHOW_ROW).append(show.configName()).append('=');
      out.append(describe(toRpid[show.ordinal()])).append(", ");
    }
    for (Rule rule : rules) {
      out.append(ACTIVITY_ROW).append(rule.activity().xmlName()).append('=');
      out.append(rule.show().configName()).append(", ");
    }
    out.append(IDLE_ROW).append('=').append(idleShow == null ? IGNORE : idleShow.configName());
    return out.append(']').toString();
  }

  private static Rpid parseRpid(String row, String value) {
    if (value.equals("none")) {
      return Rpid.NOTHING;
    }
    if (value.equals(Pidf.IDLE)) {
      return new Rpid(null, true);
    }
    boolean idle = value.endsWith(IDLE_SUFFIX);
    String name = idle ? value.substring(0, value.length() - IDLE_SUFFIX.length()) : value;
    RpidActivity activity = RpidActivity.fromXmlName(name);
    if (activity == null || activity == RpidActivity.OTHER) {
      throw invalid(
          row,
          "value '" + value + "' is not none, idle, an activity or an activity+idle",
          activityNames());
    }
    return new Rpid(activity, idle);
  }

  /** The show of a reading row's value, {@code null} for {@code ignore}. */
  private static Show parseReadValue(String row, String value) {
    if (value.equals(IGNORE)) {
      return null;
    }
    Show show = Show.fromConfigName(value);
    if (show == null) {
      throw invalid(row, "value '" + value + "' is not a show", SHOWS + ", " + IGNORE);
    }
    return show;
  }

  private static ConfigException invalid(String row, String problem, String allowed) {
    return new ConfigException(
        "show mapping row '" + row + "': " + problem + " (one of: " + allowed + ")");
  }

  private static String activityNames() {
    StringBuilder names = new StringBuilder(256);
    for (RpidActivity activity : RpidActivity.values()) {
      if (names.length() > 0) {
        names.append(", ");
      }
      names.append(activity.xmlName());
    }
    return names.toString();
  }

  private static int indexOf(List<Rule> rules, RpidActivity activity) {
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).activity() == activity) {
        return i;
      }
    }
    return -1;
  }

  private static String describe(Rpid rpid) {
    if (rpid.isNothing()) {
      return "none";
    }
    if (rpid.activity() == null) {
      return Pidf.IDLE;
    }
    return rpid.activity().xmlName() + (rpid.idle() ? IDLE_SUFFIX : "");
  }

  private static ShowMapping buildDefaults() {
    Rpid[] toRpid = new Rpid[Show.values().length];
    toRpid[Show.NONE.ordinal()] = Rpid.NOTHING;
    toRpid[Show.CHAT.ordinal()] = Rpid.NOTHING;
    toRpid[Show.AWAY.ordinal()] = new Rpid(RpidActivity.AWAY, false);
    toRpid[Show.XA.ordinal()] = new Rpid(RpidActivity.AWAY, true);
    toRpid[Show.DND.ordinal()] = new Rpid(RpidActivity.BUSY, false);
    Rule[] rules = {
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
      new Rule(RpidActivity.TRAVEL, Show.AWAY),
    };
    return new ShowMapping(toRpid, rules, Show.AWAY);
  }
}
