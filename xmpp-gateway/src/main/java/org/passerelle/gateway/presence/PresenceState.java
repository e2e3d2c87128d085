package org.passerelle.gateway.presence;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * The presence of one XMPP resource or one PIDF tuple, the common ground of both directions:
 * available or not (PIDF {@code <basic>} open or closed), {@link Show}, an optional status text
 * with its language, an optional priority and the resource.
 *
 * <p>Immutable. Built with {@link #available()} or {@link #unavailable()}; an unavailable state has
 * no show (RFC 6121 §4.7.2.1 qualifies availability only).
 */
public final class PresenceState {
  /** RFC 6121 §4.7.2.3: a priority is an integer from -128 to +127. */
  public static final int MIN_PRIORITY = -128;

  /** RFC 6121 §4.7.2.3. */
  public static final int MAX_PRIORITY = 127;

  /** RFC 5646 §2.1: a subtag has at most 8 characters. */
  private static final int MAX_SUBTAG = 8;

  private final boolean available;
  private final Show show;
  private final String status;
  private final String statusLanguage;
  private final OptionalInt priority;
  private final String resource;

  private PresenceState(Builder builder) {
    this.available = builder.available;
    this.show = builder.show;
    this.status = builder.status;
    this.statusLanguage = builder.statusLanguage;
    this.priority =
        builder.priority == null ? OptionalInt.empty() : OptionalInt.of(builder.priority);
    this.resource = builder.resource;
  }

  /** A builder for an available state (no XMPP {@code type}, PIDF {@code open}). */
  public static Builder available() {
    return new Builder(true);
  }

  /** A builder for an unavailable state (XMPP {@code unavailable}, PIDF {@code closed}). */
  public static Builder unavailable() {
    return new Builder(false);
  }

  /** A builder holding this state's values, to change some of them. */
  public Builder toBuilder() {
    Builder builder = new Builder(available).show(show).resource(resource);
    if (status != null) {
      builder.status(status, statusLanguage);
    }
    if (priority.isPresent()) {
      builder.priority(priority.getAsInt());
    }
    return builder;
  }

  public boolean isAvailable() {
    return available;
  }

  /** The show; always {@link Show#NONE} when unavailable. */
  public Show show() {
    return show;
  }

  /** The status text ({@code <status/>}, PIDF {@code <note>}), or {@code null}; never empty. */
  public String status() {
    return status;
  }

  /**
   * The language of {@link #status()}, or {@code null} if unknown; also the SIP {@code
   * Content-Language} (RFC 8048 §6.2 and §6.3 map it to and from {@code xml:lang}).
   */
  public String statusLanguage() {
    return statusLanguage;
  }

  /** The XMPP priority, from -128 to 127, if known. */
  public OptionalInt priority() {
    return priority;
  }

  /**
   * The XMPP resourcepart this state is about, or {@code null}. RFC 8048 §6.2 maps it to the tuple
   * id; read from a PIDF document, it is the resource a tuple id written by {@link PidfWriter}
   * names, or else the tuple id as it came.
   */
  public String resource() {
    return resource;
  }

  @Override
  public boolean equals(Object o) {
    return o == this
        || (o instanceof PresenceState other
            && available == other.available
            && show == other.show
            && Objects.equals(status, other.status)
            && Objects.equals(statusLanguage, other.statusLanguage)
            && priority.equals(other.priority)
            && Objects.equals(resource, other.resource));
  }

  @Override
  public int hashCode() {
    return Objects.hash(available, show, status, statusLanguage, priority, resource);
  }

  /** Shows the status text's length only: it is user content (see the house style). */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(64).append("PresenceState[");
    out.append(available ? "available" : "unavailable");
    if (show != Show.NONE) {
      out.append(", show=").append(show.configName());
    }
    if (status != null) {
      out.append(", status=").append(status.length()).append(" chars");
      if (statusLanguage != null) {
        out.append(" (").append(statusLanguage).append(')');
      }
    }
    if (priority.isPresent()) {
      out.append(", priority=").append(priority.getAsInt());
    }
    if (resource != null) {
      out.append(", resource=").append(resource);
    }
    return out.append(']').toString();
  }

  /**
   * Whether {@code tag} is a language tag as RFC 5646 §2.1 spells it: a first subtag of 1 to 8
   * letters, then subtags of 1 to 8 letters and digits, joined by '-'. Checked because the language
   * goes into a SIP {@code Content-Language} header (RFC 8048 §6.2 Table 1).
   */
  static boolean isLanguageTag(String tag) {
    int subtag = 0;
    boolean first = true;
    for (int i = 0; i < tag.length(); i++) {
      char c = tag.charAt(i);
      if (c == '-') {
        if (subtag == 0) {
          return false;
        }
        subtag = 0;
        first = false;
      } else if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (!first && c >= '0' && c <= '9')) {
        if (++subtag > MAX_SUBTAG) {
          return false;
        }
      } else {
        return false;
      }
    }
    return subtag > 0;
  }

  /** Builds a {@link PresenceState}; each setter checks its argument. */
  public static final class Builder {
    private final boolean available;
    private Show show = Show.NONE;
    private String status;
    private String statusLanguage;
    private Integer priority;
    private String resource;

    private Builder(boolean available) {
      this.available = available;
    }

    /**
     * @throws IllegalArgumentException for a show other than {@link Show#NONE} on an unavailable
     *     state
     */
    public Builder show(Show show) {
      Objects.requireNonNull(show, "show");
      if (!available && show != Show.NONE) {
        throw new IllegalArgumentException(
            "an unavailable state has no show (RFC 6121 §4.7.2.1), got " + show.configName());
      }
      this.show = show;
      return this;
    }

    /**
     * @param text non-empty, or {@code null} for none
     * @param language a language tag (RFC 5646), or {@code null} if unknown
     */
    public Builder status(String text, String language) {
      if (text == null) {
        if (language != null) {
          throw new IllegalArgumentException("a status language needs a status text");
        }
      } else if (text.isEmpty()) {
        throw new IllegalArgumentException("status text must not be empty; use null for none");
      }
      if (language != null && !isLanguageTag(language)) {
        throw new IllegalArgumentException(
            "status language is not a language tag (RFC 5646): " + language);
      }
      this.status = text;
      this.statusLanguage = language;
      return this;
    }

    /**
     * @param priority from -128 to 127 (RFC 6121 §4.7.2.3)
     */
    public Builder priority(int priority) {
      if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
        throw new IllegalArgumentException(
            "priority must be from " + MIN_PRIORITY + " to " + MAX_PRIORITY + ": " + priority);
      }
      this.priority = priority;
      return this;
    }

    public Builder noPriority() {
      this.priority = null;
      return this;
    }

    /**
     * @param resource non-empty, or {@code null} for none
     */
    public Builder resource(String resource) {
      if (resource != null && resource.isEmpty()) {
        throw new IllegalArgumentException("resource must not be empty; use null for none");
      }
      this.resource = resource;
      return this;
    }

    public PresenceState build() {
      return new PresenceState(this);
    }
  }
}
