package org.passerelle.model;

import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;

/**
 * Chooses among children that differ only by {@code xml:lang} ({@code <body/>}, {@code <subject/>},
 * {@code <status/>}): the one in the stanza's own language, or without a language, else the first
 * (RFC 6120 §8.1.5, RFC 6121 §5.2.3).
 */
public final class LocalizedChildren {
  private static final QName LANG = QName.get("lang", Namespace.XML_NAMESPACE);

  private LocalizedChildren() {}

  /** The child to use, or {@code null} when the stanza has none of that name. */
  public static Element pick(Element stanza, QName name) {
    String stanzaLanguage = stanza.attributeValue(LANG);
    Element first = null;
    for (Element child : stanza.elements(name)) {
      String language = child.attributeValue(LANG);
      if (language == null || language.equals(stanzaLanguage)) {
        return child;
      }
      if (first == null) {
        first = child;
      }
    }
    return first;
  }
}
