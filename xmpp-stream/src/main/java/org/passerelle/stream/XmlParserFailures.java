package org.passerelle.stream;

/**
 * Tells apart, among unchecked exceptions out of Aalto, the ones that refuse the input from our own
 * bugs. Aalto reports most malformed input as {@code XMLStreamException}, but a few cases escape as
 * a bare {@code RuntimeException} thrown inside the parser — an element named with the reserved
 * {@code xmlns} prefix ({@code <xmlns:message/>}, forbidden by Namespaces in XML §3) is one. Those
 * are the peer's fault, not ours, and must be answered as not well-formed.
 */
public final class XmlParserFailures {
  private static final String PARSER_PACKAGE = "com.fasterxml.aalto.";

  private XmlParserFailures() {}

  /** Whether {@code e} was thrown by the XML parser itself, that is, about the input. */
  public static boolean isInputRefusal(RuntimeException e) {
    StackTraceElement[] trace = e.getStackTrace();
    return trace.length > 0 && trace[0].getClassName().startsWith(PARSER_PACKAGE);
  }
}
