package org.passerelle.stream;

import org.dom4j.DocumentFactory;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.passerelle.model.Namespaces;

/** Builds and reads {@code <stream:error/>} elements (RFC 6120 §4.9.2). */
public final class StreamErrors {
  private static final DocumentFactory DOM = DocumentFactory.getInstance();
  private static final Namespace STREAM = Namespace.get("stream", Namespaces.STREAMS);
  private static final QName ERROR = QName.get("error", STREAM);
  private static final Namespace ERRORS = Namespace.get(Namespaces.STREAM_ERRORS);

  private StreamErrors() {}

  /** The error element for a condition, with an optional descriptive text. */
  public static Element element(StreamErrorCondition condition, String text) {
    Element error = DOM.createElement(ERROR);
    error.addElement(QName.get(condition.elementName(), ERRORS));
    if (text != null && !text.isEmpty()) {
      error.addElement(QName.get("text", ERRORS)).addText(text);
    }
    return error;
  }

  /** Whether an element read from a stream is a stream error. */
  public static boolean isStreamError(Element element) {
    return "error".equals(element.getName())
        && Namespaces.STREAMS.equals(element.getNamespaceURI());
  }

  /** The condition of a received stream error. */
  public static StreamErrorCondition conditionOf(Element error) {
    for (Element child : error.elements()) {
      if (Namespaces.STREAM_ERRORS.equals(child.getNamespaceURI())
          && !"text".equals(child.getName())) {
        return StreamErrorCondition.fromElementName(child.getName());
      }
    }
    return StreamErrorCondition.UNDEFINED_CONDITION;
  }

  /** The text of a received stream error, or an empty string. */
  public static String textOf(Element error) {
    Element text = error.element(QName.get("text", ERRORS));
    return text == null ? "" : text.getText();
  }
}
