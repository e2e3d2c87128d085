package org.passerelle.gateway.presence;

import com.fasterxml.aalto.UncheckedStreamException;
import com.fasterxml.aalto.stax.InputFactoryImpl;
import java.io.ByteArrayInputStream;
import java.util.Objects;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.passerelle.gateway.presence.PidfException.Reason;
import org.passerelle.stream.XmlParserFailures;

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
 *   <li>{@code <note>} is the status, without surrounding whitespace, with its {@code xml:lang}
 *       (inherited from an enclosing element if it has none); a tuple without a note takes the
 *       person's {@code <dm:note>}, else the document's {@code <note>} — RPID-only phones put "On
 *       the phone" there;
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
      return new PidfParse(reader).run(mapping);
    } catch (XMLStreamException e) {
      throw malformed(e);
    } catch (UncheckedStreamException e) {
      // Aalto decodes text lazily, in getText(), which wraps what it finds (bad UTF-8) this way.
      throw malformed(e.getCause() == null ? e : e.getCause());
    } catch (RuntimeException e) {
      if (XmlParserFailures.isInputRefusal(e)) {
        throw malformed(e);
      }
      throw e;
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
}
