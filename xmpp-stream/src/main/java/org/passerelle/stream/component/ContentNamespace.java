package org.passerelle.stream.component;

import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;

/**
 * Moves a stanza between content namespaces: {@code jabber:server} on S2S streams and {@code
 * jabber:component:accept} on the link (XEP-0114 §3). Only elements in the old namespace change;
 * payload extensions keep theirs.
 */
public final class ContentNamespace {
  private ContentNamespace() {}

  /** Rewrites the stanza in place and returns it. */
  public static Element rewrite(Element stanza, String from, String to) {
    if (!from.equals(stanza.getNamespaceURI())) {
      return stanza;
    }
    rewrite(stanza, Namespace.get(to), from);
    return stanza;
  }

  private static void rewrite(Element element, Namespace target, String from) {
    if (from.equals(element.getNamespaceURI())) {
      element.setQName(QName.get(element.getName(), target));
    }
    for (Element child : element.elements()) {
      rewrite(child, target, from);
    }
  }
}
