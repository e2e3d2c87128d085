package org.passerelle.stream;

/** Escaping for the few strings written outside dom4j (stream headers, errors). */
final class XmlEscaping {
  private XmlEscaping() {}

  static void appendAttributeValue(StringBuilder out, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '\'' -> out.append("&apos;");
        case '"' -> out.append("&quot;");
        default -> out.append(c);
      }
    }
  }
}
