package org.passerelle.gateway.presence;

import java.util.HashMap;
import java.util.Map;

/**
 * The activities of RFC 4480 §3.2, the children of {@code <rpid:activities>}: what the person is
 * doing. Activities from other namespaces (the schema allows them) are not listed and are ignored.
 */
public enum RpidActivity {
  APPOINTMENT("appointment"),
  AWAY("away"),
  BREAKFAST("breakfast"),
  BUSY("busy"),
  DINNER("dinner"),
  HOLIDAY("holiday"),
  IN_TRANSIT("in-transit"),
  LOOKING_FOR_WORK("looking-for-work"),
  MEAL("meal"),
  MEETING("meeting"),
  ON_THE_PHONE("on-the-phone"),
  PERFORMANCE("performance"),
  PERMANENT_ABSENCE("permanent-absence"),
  PLAYING("playing"),
  PRESENTATION("presentation"),
  SHOPPING("shopping"),
  SLEEPING("sleeping"),
  SPECTATOR("spectator"),
  STEERING("steering"),
  TRAVEL("travel"),
  TV("tv"),
  UNKNOWN("unknown"),
  VACATION("vacation"),
  WORKING("working"),
  WORSHIP("worship"),
  /** Free text in the element; readable, but never written (there is no text to put in it). */
  OTHER("other");

  private static final Map<String, RpidActivity> BY_NAME = new HashMap<>();

  static {
    for (RpidActivity activity : values()) {
      BY_NAME.put(activity.xmlName, activity);
    }
  }

  private final String xmlName;

  RpidActivity(String xmlName) {
    this.xmlName = xmlName;
  }

  /** The element's local name in {@link Pidf#NS_RPID}. */
  public String xmlName() {
    return xmlName;
  }

  /** This activity as one bit of a set held in a {@code long} (there are fewer than 64). */
  long bit() {
    return 1L << ordinal();
  }

  /** The activity of an element's local name, or {@code null} if RFC 4480 has no such activity. */
  public static RpidActivity fromXmlName(String localName) {
    return BY_NAME.get(localName);
  }
}
