package org.passerelle.model;

import org.dom4j.Element;

/** The three stanza kinds of RFC 6120 §8, recognised by name and content namespace. */
public enum StanzaKind {
  MESSAGE,
  PRESENCE,
  IQ;

  /** The kind of a top-level element in the given content namespace, or {@code null}. */
  public static StanzaKind of(Element element, String contentNamespace) {
    if (!contentNamespace.equals(element.getNamespaceURI())) {
      return null;
    }
    return switch (element.getName()) {
      case "message" -> MESSAGE;
      case "presence" -> PRESENCE;
      case "iq" -> IQ;
      default -> null;
    };
  }
}
