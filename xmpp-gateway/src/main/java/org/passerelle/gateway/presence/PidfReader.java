package org.passerelle.gateway.presence;

import com.fasterxml.aalto.UncheckedStreamException;
import com.fasterxml.aalto.stax.InputFactoryImpl;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.passerelle.gateway.presence.PidfException.Reason;
import org.passerelle.model.Namespaces;

/**
 * Reads a PIDF document (RFC 3863) into one {@link PresenceState} per tuple, RFC 8048 §6.3 Table 2:
 *
 * <ul>
 *   <li>{@code <basic>open</basic>} is available (no XMPP {@code type}); {@code closed} — and,
 *       since we may not claim an availability we were not told, a missing or unknown {@code
 *       <basic>} — is unavailable;
 *   <li>the show is the {@code <show xmlns='jabber:client'>} inside {@code <status>} (RFC 8048
 *       §6.2); without one, the RPID activities and user-input of the {@code <dm:person>} and of
 *       the tuple, read through the {@link ShowMapping}; without those, none;
 *   <li>{@code <note>} is the status, with its {@code xml:lang} (inherited from an enclosing
 *       element if it has none); a tuple without a note takes the person's {@code <dm:note>}, else
 *       the document's {@code <note>} — RPID-only phones put "On the phone" there;
 *   <li>{@code <contact priority>} is the priority ({@link ContactPriority}); a value that is not a
 *       qvalue is ignored;
 *   <li>timestamps are ignored; so are unknown elements, unless marked {@code mustUnderstand} (RFC
 *       3863 §4.2.3), which refuses the document.
 * </ul>
 *
 * <p>The reader is lenient where presence servers differ: whitespace between elements (Kamailio
 * re-indents the bodies it stores and merges several PUBLISHed documents into one), around values,
 * namespace declarations on any element, the XML declaration missing, RPID activities in a tuple
 * rather than a person. It is strict where safety is at stake: a document type declaration or an
 * entity reference refuses the document (no DTD is ever read, no entity expanded), as does anything
 * not well-formed.
 *
 * <p>One pass over Aalto's StAX reader, no DOM. Thread-safe.
 */
public final class PidfReader {
  private static final XMLInputFactory FACTORY = newFactory();

  private final ShowMapping mapping;

  /**
   * @param mapping how to read RPID when a tuple has no {@code jabber:client} show
   */
  public PidfReader(ShowMapping mapping) {
    this.mapping = Objects.requireNonNull(mapping, "mapping");
  }

  /** Reads a whole SIP body. See {@link #read(byte[], int, int)}. */
  public PidfDocument read(byte[] body) throws PidfException {
    return read(body, 0, body.length);
  }

  /**
   * Reads the document in {@code body[offset, offset + length)}, in the encoding its declaration
   * names (UTF-8 without one).
   *
   * @throws PidfException if the document is not well-formed, has a DTD or an entity reference, is
   *     not PIDF or has a {@code mustUnderstand} element we do not understand
   */
  public PidfDocument read(byte[] body, int offset, int length) throws PidfException {
    Objects.checkFromIndexSize(offset, length, body.length);
    XMLStreamReader reader;
    try {
      reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(body, offset, length));
    } catch (XMLStreamException e) {
      throw malformed(e);
    }
    try {
      return new Parse(reader).run(mapping);
    } catch (XMLStreamException e) {
      throw malformed(e);
    } catch (UncheckedStreamException e) {
      // Aalto decodes text lazily, in getText(), which wraps what it finds (bad UTF-8) this way.
      throw malformed(e.getCause() == null ? e : e.getCause());
    } finally {
      try {
        reader.close();
      } catch (XMLStreamException e) {
        // Closing a reader over a byte array frees buffers only; nothing can fail that matters.
      }
    }
  }

  private static PidfException malformed(Throwable e) {
    String message = e.getMessage() == null ? "" : ": " + e.getMessage().replace('\n', ' ');
    return new PidfException(Reason.MALFORMED, "PIDF body is not well-formed XML" + message, e);
  }

  private static XMLInputFactory newFactory() {
    XMLInputFactory factory = new InputFactoryImpl();
    // A DTD is reported as an event (and refused), never processed; entities never expand.
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    factory.setProperty(XMLInputFactory.IS_COALESCING, true);
    return factory;
  }

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

  /** The state of reading one document. */
  private static final class Parse {
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

    Parse(XMLStreamReader reader) {
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
        // COMPAT: the attribute is PIDF's (pidf:mustUnderstand); an unprefixed one is taken to
        // mean the same, since failing is the safe reading.
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
     * The text of the current element, whose start was just read, up to and including its end.
     * PIDF's and RPID's leaves hold text only.
     */
    private String text() throws XMLStreamException, PidfException {
      String name = reader.getLocalName();
      String text = null;
      StringBuilder more = null;
      while (true) {
        switch (reader.next()) {
          case XMLStreamConstants.CHARACTERS,
              XMLStreamConstants.CDATA,
              XMLStreamConstants.SPACE -> {
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
     * The {@code xml:lang} of the current element, or {@code inherited} without one (XML 1.0
     * §2.12); {@code xml:lang=""} means no language.
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
}
