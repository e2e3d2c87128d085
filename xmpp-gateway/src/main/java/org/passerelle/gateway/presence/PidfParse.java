package org.passerelle.gateway.presence;

import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.passerelle.gateway.presence.PidfException.Reason;
import org.passerelle.model.Namespaces;

/**
 * Reading one PIDF document for {@link PidfReader}: a walk over StAX events that keeps, per element
 * depth, what the element is ({@link Context}), collects what each tuple, the person and the
 * document say, and turns the tuples into states once the whole document (whose person may follow
 * the tuples) has been read.
 */
final class PidfParse {
  /** Where the reader is: the element whose children come next. */
  private enum Context {
    PRESENCE,
    TUPLE,
    STATUS,
    PERSON,
    ACTIVITIES,
    /** An element we know whose children we do not read (an RPID activity). */
    KNOWN,
    /** An element we do not know, or inside one. */
    UNKNOWN
  }

  /** What one tuple said, until the whole document (and its person) has been read. */
  private static final class Tuple {
    final String id;
    final String language;
    Boolean open;
    Show show;
    long activities;
    boolean idle;
    String note;
    String noteLanguage;
    int priority = -1;

    Tuple(String id, String language) {
      this.id = id;
      this.language = language;
    }
  }

  private final XMLStreamReader reader;
  private Context[] stack = new Context[8];
  private int depth;
  private String entity;
  private String presenceLanguage;
  private String documentNote;
  private String documentNoteLanguage;
  private final List<Tuple> tuples = new ArrayList<>(2);
  private Tuple tuple;
  private String personLanguage;
  private String personNote;
  private String personNoteLanguage;
  private long personActivities;
  private boolean personIdle;
  private boolean activitiesOfPerson;

  PidfParse(XMLStreamReader reader) {
    this.reader = reader;
  }

  PidfDocument run(ShowMapping mapping) throws XMLStreamException, PidfException {
    while (reader.hasNext()) {
      switch (reader.next()) {
        case XMLStreamConstants.START_ELEMENT -> startElement();
        case XMLStreamConstants.END_ELEMENT -> endElement();
        case XMLStreamConstants.DTD -> throw dtdOrEntity("a document type declaration");
        case XMLStreamConstants.ENTITY_REFERENCE -> throw dtdOrEntity("an entity reference");
        default -> {
          // Text between elements (Kamailio's indentation), comments, processing instructions.
        }
      }
    }
    if (entity == null) {
      throw new PidfException(Reason.NOT_PIDF, "PIDF body has no root element");
    }
    List<PresenceState> states = new ArrayList<>(tuples.size());
    for (Tuple t : tuples) {
      states.add(toState(t, mapping));
    }
    return new PidfDocument(entity, states);
  }

  private PresenceState toState(Tuple t, ShowMapping mapping) {
    boolean open = Boolean.TRUE.equals(t.open);
    PresenceState.Builder state = open ? PresenceState.available() : PresenceState.unavailable();
    if (open) {
      Show show = t.show;
      if (show == null) {
        show = mapping.fromRpid(t.activities | personActivities, t.idle || personIdle);
      }
      state.show(show == null ? Show.NONE : show);
    }
    if (t.note != null) {
      state.status(t.note, language(t.noteLanguage));
    } else if (personNote != null) {
      state.status(personNote, language(personNoteLanguage));
    } else if (documentNote != null) {
      state.status(documentNote, language(documentNoteLanguage));
    }
    if (t.priority >= 0) {
      state.priority(t.priority);
    }
    return state.resource(TupleIds.toResource(t.id)).build();
  }

  private void startElement() throws XMLStreamException, PidfException {
    String ns = reader.getNamespaceURI();
    String name = reader.getLocalName();
    if (depth == 0) {
      root(ns, name);
      return;
    }
    switch (stack[depth - 1]) {
      case PRESENCE -> inPresence(ns, name);
      case TUPLE -> inTuple(ns, name);
      case STATUS -> inStatus(ns, name);
      case PERSON -> inPerson(ns, name);
      case ACTIVITIES -> inActivities(ns, name);
      default -> unknown();
    }
  }

  private void root(String ns, String name) throws PidfException {
    if (!Pidf.NS.equals(ns) || !Pidf.PRESENCE.equals(name)) {
      throw new PidfException(
          Reason.NOT_PIDF,
          "root element is {"
              + (ns == null ? "" : ns)
              + "}"
              + name
              + ", not PIDF's {"
              + Pidf.NS
              + "}presence (RFC 3863 §4.1.1)");
    }
    String value = reader.getAttributeValue(null, Pidf.ENTITY);
    if (value == null || value.isBlank()) {
      throw new PidfException(
          Reason.NOT_PIDF, "<presence> has no entity attribute (RFC 3863 §4.1.1: MUST)");
    }
    entity = value.strip();
    presenceLanguage = xmlLang(null);
    push(Context.PRESENCE);
  }

  private void inPresence(String ns, String name) throws XMLStreamException, PidfException {
    if (Pidf.NS.equals(ns) && Pidf.TUPLE.equals(name)) {
      tuple = new Tuple(reader.getAttributeValue(null, Pidf.ID), xmlLang(presenceLanguage));
      push(Context.TUPLE);
    } else if (Pidf.NS.equals(ns) && Pidf.NOTE.equals(name)) {
      String language = xmlLang(presenceLanguage);
      String note = note();
      if (documentNote == null && note != null) {
        documentNote = note;
        documentNoteLanguage = language;
      }
    } else if (Pidf.NS_DATA_MODEL.equals(ns) && Pidf.PERSON.equals(name)) {
      personLanguage = xmlLang(presenceLanguage);
      push(Context.PERSON);
    } else {
      unknown();
    }
  }

  private void inTuple(String ns, String name) throws XMLStreamException, PidfException {
    if (Pidf.NS.equals(ns)) {
      switch (name) {
        case Pidf.STATUS -> push(Context.STATUS);
        case Pidf.CONTACT -> {
          String priority = reader.getAttributeValue(null, Pidf.PRIORITY);
          if (priority != null) {
            tuple.priority = ContactPriority.fromQvalue(priority);
          }
          text(); // the contact URI: an XMPP presence has nowhere to put it
        }
        case Pidf.NOTE -> {
          String language = xmlLang(tuple.language);
          String note = note();
          if (tuple.note == null && note != null) {
            tuple.note = note;
            tuple.noteLanguage = language;
          }
        }
        case Pidf.TIMESTAMP -> text();
        default -> unknown();
      }
    } else if (!rpid(ns, name, false)) {
      unknown();
    }
  }

  private void inStatus(String ns, String name) throws XMLStreamException, PidfException {
    if (Pidf.NS.equals(ns) && Pidf.BASIC.equals(name)) {
      String basic = text().strip();
      if (basic.equalsIgnoreCase(Pidf.OPEN)) {
        tuple.open = Boolean.TRUE;
      } else if (basic.equalsIgnoreCase(Pidf.CLOSED)) {
        tuple.open = Boolean.FALSE;
      }
    } else if (Namespaces.CLIENT.equals(ns) && Pidf.SHOW.equals(name)) {
      Show show = Show.fromXmlValue(text().strip());
      if (tuple.show == null) {
        tuple.show = show;
      }
    } else if (!rpid(ns, name, false)) {
      unknown();
    }
  }

  private void inPerson(String ns, String name) throws XMLStreamException, PidfException {
    if (Pidf.NS_DATA_MODEL.equals(ns) && Pidf.NOTE.equals(name)) {
      String language = xmlLang(personLanguage);
      String note = note();
      if (personNote == null && note != null) {
        personNote = note;
        personNoteLanguage = language;
      }
    } else if (Pidf.NS_DATA_MODEL.equals(ns) && Pidf.TIMESTAMP.equals(name)) {
      text();
    } else if (!rpid(ns, name, true)) {
      unknown();
    }
  }

  /**
   * RFC 4480 elements we read: {@code <activities>} (§3.2) and {@code <user-input>} (§3.14), in a
   * person as the RFC has it, or in a tuple or its status as some clients write them.
   *
   * @return whether the element was one of them
   */
  private boolean rpid(String ns, String name, boolean ofPerson)
      throws XMLStreamException, PidfException {
    if (!Pidf.NS_RPID.equals(ns)) {
      return false;
    }
    if (Pidf.ACTIVITIES.equals(name)) {
      activitiesOfPerson = ofPerson;
      push(Context.ACTIVITIES);
      return true;
    }
    if (Pidf.USER_INPUT.equals(name)) {
      boolean idle = Pidf.IDLE.equals(text().strip());
      if (ofPerson) {
        personIdle |= idle;
      } else {
        tuple.idle |= idle;
      }
      return true;
    }
    return false;
  }

  private void inActivities(String ns, String name) throws XMLStreamException, PidfException {
    if (Pidf.NS_RPID.equals(ns) && Pidf.NOTE.equals(name)) {
      text();
      return;
    }
    RpidActivity activity = Pidf.NS_RPID.equals(ns) ? RpidActivity.fromXmlName(name) : null;
    if (activity == null) {
      unknown();
      return;
    }
    if (activitiesOfPerson) {
      personActivities |= activity.bit();
    } else {
      tuple.activities |= activity.bit();
    }
    push(Context.KNOWN);
  }

  /** RFC 3863 §4.2.3: an element we do not understand is ignored, unless it must be. */
  private void unknown() throws PidfException {
    for (int i = 0, n = reader.getAttributeCount(); i < n; i++) {
      if (!Pidf.MUST_UNDERSTAND.equals(reader.getAttributeLocalName(i))) {
        continue;
      }
      String ns = reader.getAttributeNamespace(i);
      // The attribute is PIDF's (pidf:mustUnderstand, a global attribute of the RFC 3863
      // schema); an unprefixed one is taken to mean the same, since failing is the safe reading.
      if (ns == null || ns.isEmpty() || Pidf.NS.equals(ns)) {
        String value = reader.getAttributeValue(i).strip();
        if (value.equals("true") || value.equals("1")) {
          throw new PidfException(
              Reason.MUST_UNDERSTAND,
              "PIDF element {"
                  + (reader.getNamespaceURI() == null ? "" : reader.getNamespaceURI())
                  + "}"
                  + reader.getLocalName()
                  + " is marked mustUnderstand and is not understood (RFC 3863 §4.2.3)");
        }
      }
    }
    push(Context.UNKNOWN);
  }

  private void endElement() {
    depth--;
    if (stack[depth] == Context.TUPLE) {
      tuples.add(tuple);
      tuple = null;
    }
  }

  private void push(Context context) {
    if (depth == stack.length) {
      Context[] larger = new Context[depth * 2];
      System.arraycopy(stack, 0, larger, 0, depth);
      stack = larger;
    }
    stack[depth++] = context;
  }

  /** A note's text without surrounding whitespace, or {@code null} if nothing is left. */
  private String note() throws XMLStreamException, PidfException {
    String note = text().strip();
    return note.isEmpty() ? null : note;
  }

  /**
   * The text of the current element, whose start was just read, up to and including its end. PIDF's
   * and RPID's leaves hold text only.
   */
  private String text() throws XMLStreamException, PidfException {
    String name = reader.getLocalName();
    String text = null;
    StringBuilder more = null;
    while (true) {
      switch (reader.next()) {
        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
          if (text == null) {
            text = reader.getText();
          } else {
            if (more == null) {
              more = new StringBuilder(text);
            }
            more.append(reader.getText());
          }
        }
        case XMLStreamConstants.END_ELEMENT -> {
          return more != null ? more.toString() : text == null ? "" : text;
        }
        case XMLStreamConstants.ENTITY_REFERENCE -> throw dtdOrEntity("an entity reference");
        case XMLStreamConstants.START_ELEMENT ->
            throw new PidfException(
                Reason.MALFORMED,
                "PIDF element <"
                    + name
                    + "> holds text only, found <"
                    + reader.getLocalName()
                    + "> in it");
        default -> {
          // A comment or processing instruction inside the text.
        }
      }
    }
  }

  /**
   * The {@code xml:lang} of the current element, or {@code inherited} without one (XML 1.0 §2.12);
   * {@code xml:lang=""} means no language.
   */
  private String xmlLang(String inherited) {
    String value = reader.getAttributeValue(XMLConstants.XML_NS_URI, "lang");
    if (value == null) {
      return inherited;
    }
    value = value.strip();
    return value.isEmpty() ? null : value;
  }

  /** A language {@link PresenceState} accepts, or {@code null}: a bad tag is dropped. */
  private static String language(String tag) {
    return tag != null && PresenceState.isLanguageTag(tag) ? tag : null;
  }

  private static PidfException dtdOrEntity(String what) {
    return new PidfException(
        Reason.DTD_OR_ENTITY, "PIDF body contains " + what + ", which is refused");
  }
}
