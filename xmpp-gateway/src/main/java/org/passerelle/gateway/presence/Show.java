package org.passerelle.gateway.presence;

/**
 * The availability sub-state of an available XMPP resource (RFC 6121 §4.7.2.1): the {@code <show/>}
 * element, or {@link #NONE} when there is none (plainly available).
 */
public enum Show {
  /** No {@code <show/>}: online and available (RFC 6121 §4.7.2.1). */
  NONE(null, 1),
  /** Actively interested in chatting. */
  CHAT("chat", 0),
  /** Temporarily away. */
  AWAY("away", 2),
  /** Away for an extended period ("eXtended Away"). */
  XA("xa", 3),
  /** Busy, do not disturb. */
  DND("dnd", 4);

  private final String xmlValue;
  private final int availabilityRank;

  Show(String xmlValue, int availabilityRank) {
    this.xmlValue = xmlValue;
    this.availabilityRank = availabilityRank;
  }

  /** The text of the {@code <show/>} element; {@code null} for {@link #NONE}. */
  public String xmlValue() {
    return xmlValue;
  }

  /**
   * The name used for this value in configuration and logs: the XML value, or {@code none} for
   * {@link #NONE}.
   */
  public String configName() {
    return xmlValue == null ? "none" : xmlValue;
  }

  /**
   * How available a resource with this show is, 0 the most: chat, none, away, xa, dnd. Our reading
   * of RFC 6121 §4.7.2.1 for choosing the "most available" of several resources or tuples (RFC 8048
   * §6.2 leaves the choice to the implementation).
   */
  int availabilityRank() {
    return availabilityRank;
  }

  /** The value of a {@code <show/>} element's text, or {@code null} if it is none of the four. */
  public static Show fromXmlValue(String text) {
    if (text == null) {
      return null;
    }
    return switch (text) {
      case "chat" -> CHAT;
      case "away" -> AWAY;
      case "xa" -> XA;
      case "dnd" -> DND;
      default -> null;
    };
  }

  /** The value of a {@link #configName()}, or {@code null} if the name is none of the five. */
  static Show fromConfigName(String name) {
    return "none".equals(name) ? NONE : fromXmlValue(name);
  }
}
