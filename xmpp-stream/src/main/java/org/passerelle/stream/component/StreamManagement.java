package org.passerelle.stream.component;

import org.dom4j.DocumentFactory;
import org.dom4j.Element;
import org.dom4j.QName;

/**
 * The acknowledgement elements of XEP-0198 (namespace {@code urn:xmpp:sm:3}) as used on the link:
 * {@code <enable/>}/{@code <enabled/>} switch acknowledgements on, {@code <r/>} asks for one and
 * {@code <a h='n'/>} says how many stanzas were taken so far (§4). Counters wrap at 2^32 (§4).
 */
public final class StreamManagement {
  public static final String NAMESPACE = "urn:xmpp:sm:3";
  private static final DocumentFactory DOM = DocumentFactory.getInstance();

  private StreamManagement() {}

  public static Element enable() {
    return DOM.createElement(QName.get("enable", NAMESPACE));
  }

  public static Element enabled() {
    return DOM.createElement(QName.get("enabled", NAMESPACE));
  }

  public static Element request() {
    return DOM.createElement(QName.get("r", NAMESPACE));
  }

  public static Element ack(long handled) {
    Element a = DOM.createElement(QName.get("a", NAMESPACE));
    a.addAttribute("h", Long.toString(handled & 0xFFFF_FFFFL));
    return a;
  }

  public static boolean is(Element element, String name) {
    return name.equals(element.getName()) && NAMESPACE.equals(element.getNamespaceURI());
  }

  /** The {@code h} of an {@code <a/>}, or -1 when missing or malformed. */
  public static long handled(Element ack) {
    try {
      long h = Long.parseLong(ack.attributeValue("h", ""));
      return h >= 0 && h <= 0xFFFF_FFFFL ? h : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
