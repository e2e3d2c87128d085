package org.passerelle.gateway.presence;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.passerelle.model.Namespaces;
import org.passerelle.model.address.SipUri;

/**
 * Writes the PIDF document (RFC 3863) for the presence of an XMPP user, RFC 8048 §6.2 Table 1:
 *
 * <ul>
 *   <li>each resource is a {@code <tuple>} whose id is {@code ID-} and the resource ({@link
 *       TupleIds});
 *   <li>available is {@code <basic>open</basic>}, unavailable {@code <basic>closed</basic>};
 *   <li>{@code <show/>} goes inside {@code <status>} as {@code <show xmlns='jabber:client'>}, as
 *       RECOMMENDED, and as RPID in a {@code <dm:person>} per the {@link ShowMapping} (for the most
 *       available resource: the person is the same for all);
 *   <li>a priority from 0 to 127 becomes {@code <contact priority>} ({@link ContactPriority}); the
 *       contact is the resource's GRUU (RFC 7247 §6.3), the only address a watcher can reach that
 *       resource at; a negative priority is not mapped, and then no contact is written;
 *   <li>{@code <status/>} is {@code <note>}, with its {@code xml:lang}.
 * </ul>
 *
 * <p>The stanza's {@code id} has no mapping; {@code from}, {@code to} and {@code xml:lang} go into
 * SIP headers (the language is {@link PresenceState#statusLanguage()}). No timestamp is written.
 *
 * <p>The document is written as text in one pass, no DOM: an XML declaration (RFC 3863 §4.1 MUST),
 * no whitespace between elements, double-quoted attributes. Thread-safe.
 */
public final class PidfWriter {
  /** The scheme of the {@code entity} attribute (RFC 3863 §4.1.1 allows any presentity URI). */
  public enum EntityScheme {
    /**
     * {@code pres:} (RFC 3859), as in the RFC 3863 and RFC 8048 examples; some SIP clients compare
     * the entity with the URI they subscribed to and do not match it.
     */
    PRES,
    /** {@code sip:}: the URI SIP watchers subscribe to, as Kamailio's presence server writes it. */
    SIP
  }

  private static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
  private static final String PERSON_NAMESPACES =
      " xmlns:dm=\"" + Pidf.NS_DATA_MODEL + "\" xmlns:rpid=\"" + Pidf.NS_RPID + "\"";
  private static final String PERSON_ID = "p";
  private static final char REPLACEMENT = '\uFFFD';

  private final EntityScheme entityScheme;
  private final String[] personByShow;

  /**
   * @param mapping the RPID to write for each show
   * @param entityScheme how to write the presentity in {@code entity}
   */
  public PidfWriter(ShowMapping mapping, EntityScheme entityScheme) {
    Objects.requireNonNull(mapping, "mapping");
    this.entityScheme = Objects.requireNonNull(entityScheme, "entityScheme");
    Show[] shows = Show.values();
    this.personByShow = new String[shows.length];
    for (Show show : shows) {
      personByShow[show.ordinal()] = person(mapping.toRpid(show));
    }
  }

  /** The document for one resource of {@code presentity}. See {@link #write(SipUri, List)}. */
  public String write(SipUri presentity, PresenceState state) {
    return write(presentity, List.of(state));
  }

  /**
   * The document for the resources of {@code presentity}, one tuple each (RFC 8048 §6.2).
   *
   * @param presentity the XMPP user's SIP address (RFC 7247 §6.5); its address of record is the
   *     entity
   * @param states one per resource, resources distinct; not empty
   */
  public String write(SipUri presentity, List<PresenceState> states) {
    Objects.requireNonNull(presentity, "presentity");
    if (states.isEmpty()) {
      throw new IllegalArgumentException("a PIDF document needs at least one state");
    }
    checkDistinctResources(states);
    SipUri aor = presentity.addressOfRecord();
    PresenceState best = Availability.mostAvailable(states);
    String person = best.isAvailable() ? personByShow[best.show().ordinal()] : null;

    // Sized so that a typical document (520 bytes for one resource with a note) never grows it.
    StringBuilder out = new StringBuilder(320 + 256 * states.size());
    out.append(DECLARATION).append("<presence xmlns=\"").append(Pidf.NS).append('"');
    if (person != null) {
      out.append(PERSON_NAMESPACES);
    }
    out.append(" entity=\"");
    appendEntity(out, aor);
    out.append("\">");
    for (PresenceState state : states) {
      appendTuple(out, aor, state);
    }
    if (person != null) {
      out.append(person);
    }
    return out.append("</presence>").toString();
  }

  /** {@link #write(SipUri, List)} in UTF-8, the encoding the declaration names. */
  public byte[] writeBytes(SipUri presentity, List<PresenceState> states) {
    return write(presentity, states).getBytes(StandardCharsets.UTF_8);
  }

  /** {@link #write(SipUri, PresenceState)} in UTF-8, the encoding the declaration names. */
  public byte[] writeBytes(SipUri presentity, PresenceState state) {
    return write(presentity, state).getBytes(StandardCharsets.UTF_8);
  }

  private void appendEntity(StringBuilder out, SipUri aor) {
    String uri = aor.toString();
    if (entityScheme == EntityScheme.PRES) {
      // RFC 3859 §3.2: pres: takes the same user@host as the SIP address of record.
      out.append("pres");
      appendEscaped(out, uri, uri.indexOf(':'), true);
    } else {
      appendEscaped(out, uri, 0, true);
    }
  }

  private static void appendTuple(StringBuilder out, SipUri aor, PresenceState state) {
    out.append("<tuple id=\"").append(TupleIds.toTupleId(state.resource())).append("\">");
    out.append("<status><basic>").append(state.isAvailable() ? Pidf.OPEN : Pidf.CLOSED);
    out.append("</basic>");
    if (state.show() != Show.NONE) {
      out.append("<show xmlns=\"").append(Namespaces.CLIENT).append("\">");
      out.append(state.show().xmlValue()).append("</show>");
    }
    out.append("</status>");
    String qvalue =
        state.priority().isPresent() ? ContactPriority.toQvalue(state.priority().getAsInt()) : null;
    if (qvalue != null) {
      SipUri contact = state.resource() == null ? aor : aor.withGruu(state.resource());
      out.append("<contact priority=\"").append(qvalue).append("\">");
      appendEscaped(out, contact.toString(), 0, false);
      out.append("</contact>");
    }
    if (state.status() != null) {
      out.append("<note");
      if (state.statusLanguage() != null) {
        out.append(" xml:lang=\"").append(state.statusLanguage()).append('"');
      }
      out.append('>');
      appendEscaped(out, state.status(), 0, false);
      out.append("</note>");
    }
    out.append("</tuple>");
  }

  private static void checkDistinctResources(List<PresenceState> states) {
    for (int i = 1; i < states.size(); i++) {
      String resource = states.get(i).resource();
      for (int j = 0; j < i; j++) {
        if (Objects.equals(resource, states.get(j).resource())) {
          throw new IllegalArgumentException(
              "two states for the same resource would share a tuple id (RFC 3863 §4.1.2)");
        }
      }
    }
  }

  /** The {@code <dm:person>} for a row of the mapping, or {@code null} when it writes nothing. */
  private static String person(ShowMapping.Rpid rpid) {
    if (rpid.isNothing()) {
      return null;
    }
    StringBuilder out = new StringBuilder(160);
    out.append("<dm:person id=\"").append(PERSON_ID).append("\">");
    if (rpid.activity() != null) {
      out.append("<rpid:activities><rpid:").append(rpid.activity().xmlName());
      out.append("/></rpid:activities>");
    }
    if (rpid.idle()) {
      out.append("<rpid:user-input>").append(Pidf.IDLE).append("</rpid:user-input>");
    }
    return out.append("</dm:person>").toString();
  }

  /**
   * Appends {@code text} from {@code start} as XML character data, or as an attribute value between
   * double quotes. Characters XML 1.0 §2.2 does not allow cannot be escaped and are replaced by
   * U+FFFD; CR (and, in attributes, tab and LF) are written as references, which XML end-of-line
   * and attribute normalisation would otherwise change.
   */
  private static void appendEscaped(StringBuilder out, String text, int start, boolean attribute) {
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append(attribute ? "&quot;" : "\"");
        case '\r' -> out.append("&#13;");
        case '\n' -> out.append(attribute ? "&#10;" : "\n");
        case '\t' -> out.append(attribute ? "&#9;" : "\t");
        default -> {
          if (c < 0x20 || c == '\uFFFE' || c == '\uFFFF') {
            out.append(REPLACEMENT);
          } else if (Character.isHighSurrogate(c)
              && i + 1 < text.length()
              && Character.isLowSurrogate(text.charAt(i + 1))) {
            out.append(c).append(text.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            out.append(REPLACEMENT);
          } else {
            out.append(c);
          }
        }
      }
    }
  }
}
