package org.passerelle.model;

import java.util.concurrent.ThreadLocalRandom;
import org.dom4j.Attribute;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;

/**
 * A short id that follows one stanza through the logs of both processes. It is given where a stanza
 * enters Passerelle (the proxy's inbound S2S streams, the gateway's SIP MESSAGE handler) and rides
 * on the stanza as an attribute in a private namespace: over the link to the other process, and
 * into every bounce made from the stanza (a bounce is a copy). It must never leave Passerelle: the
 * proxy strips it before a stanza goes out over S2S ({@link #strip}), and the gateway adds it only
 * on a link to our proxy.
 *
 * <p>On the wire of the link: {@code <message xmlns:pl='urn:x-passerelle:link'
 * pl:cid='k3f9x2m1qa7z' …>}. Ids are 12 characters of Crockford's base32 (60 random bits): short
 * enough to read in a log line, and unlikely to repeat among the stanzas of a day. An id read from
 * a stanza that is not of that form is ignored, so nothing but our own ids reaches a log line.
 */
public final class Correlation {
  /** Namespace of Passerelle's attributes on the link; never seen outside it. */
  public static final String NAMESPACE = "urn:x-passerelle:link";

  public static final String PREFIX = "pl";

  /** The attribute carrying the id. */
  public static final QName ATTRIBUTE = QName.get("cid", Namespace.get(PREFIX, NAMESPACE));

  /** What log lines show for a stanza without an id. */
  public static final String NONE = "-";

  static final int LENGTH = 12;
  private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

  private Correlation() {}

  /** A new id. */
  public static String newId() {
    long bits = ThreadLocalRandom.current().nextLong();
    char[] id = new char[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      id[i] = ALPHABET[(int) (bits & 31)];
      bits >>>= 5;
    }
    return new String(id);
  }

  /** Gives the stanza a new id, replacing any it carries, and returns it. */
  public static String assign(Element stanza) {
    String id = newId();
    stanza.addAttribute(ATTRIBUTE, id);
    return id;
  }

  /** The stanza's id if it carries a well-formed one, else a new one given to it. */
  public static String ensure(Element stanza) {
    String id = of(stanza);
    return id != null ? id : assign(stanza);
  }

  /** The stanza's id, or {@code null} if it carries none (or one not of our form). */
  public static String of(Element stanza) {
    String id = stanza.attributeValue(ATTRIBUTE);
    return isWellFormed(id) ? id : null;
  }

  /** The stanza's id for a log line: {@link #NONE} if it carries none. */
  public static String forLog(Element stanza) {
    String id = of(stanza);
    return id != null ? id : NONE;
  }

  /**
   * Removes the id (and the declaration of its namespace, if the parser kept one) and returns it,
   * or {@code null} if there was none.
   */
  public static String strip(Element stanza) {
    Attribute attribute = stanza.attribute(ATTRIBUTE);
    if (attribute == null) {
      return null;
    }
    stanza.remove(attribute);
    Namespace declared = stanza.getNamespaceForURI(NAMESPACE);
    if (declared != null && stanza.declaredNamespaces().contains(declared)) {
      stanza.remove(declared);
    }
    String id = attribute.getValue();
    return isWellFormed(id) ? id : NONE;
  }

  static boolean isWellFormed(String id) {
    if (id == null || id.length() != LENGTH) {
      return false;
    }
    for (int i = 0; i < LENGTH; i++) {
      char c = id.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))) {
        return false;
      }
    }
    return true;
  }
}
