package org.passerelle.bench.load;

/**
 * One SIP message as read from a stream (RFC 3261 §7): the start line, the header block as text,
 * and the body. Only what the sink and the client need is looked up, by a plain scan.
 */
record SipFrame(String startLine, String headers, String body) {

  boolean isRequest() {
    return !startLine.startsWith("SIP/2.0 ");
  }

  /** The method of a request. */
  String method() {
    int space = startLine.indexOf(' ');
    return space < 0 ? startLine : startLine.substring(0, space);
  }

  /** The status code of a response, or -1. */
  int status() {
    if (isRequest() || startLine.length() < 11) {
      return -1;
    }
    try {
      return Integer.parseInt(startLine.substring(8, 11));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Every line of the header whose name is {@code name} or the compact {@code compact} (RFC 3261
   * §7.3.3), with their names, in order.
   */
  String headerLines(String name, String compact) {
    StringBuilder out = new StringBuilder();
    int start = 0;
    while (start < headers.length()) {
      int end = headers.indexOf("\r\n", start);
      if (end < 0) {
        end = headers.length();
      }
      int colon = headers.indexOf(':', start);
      if (colon > start && colon < end) {
        if (isField(start, colon, name) || (compact != null && isField(start, colon, compact))) {
          out.append(name).append(':').append(headers, colon + 1, end).append("\r\n");
        }
      }
      start = end + 2;
    }
    return out.toString();
  }

  /**
   * Whether the header name between {@code from} and {@code to}, blanks around it left out, is
   * {@code name}: compared in place, since the presence benchmark's peer shares the measured JVM's
   * heap and a substring per line and lookup was a tenth of what that JVM allocated.
   */
  private boolean isField(int from, int to, String name) {
    while (from < to && headers.charAt(from) <= ' ') {
      from++;
    }
    while (to > from && headers.charAt(to - 1) <= ' ') {
      to--;
    }
    return to - from == name.length() && headers.regionMatches(true, from, name, 0, name.length());
  }

  /** The value of the first header named {@code name} or {@code compact}, or {@code null}. */
  String header(String name, String compact) {
    String lines = headerLines(name, compact);
    if (lines.isEmpty()) {
      return null;
    }
    return lines.substring(name.length() + 1, lines.indexOf("\r\n")).trim();
  }
}
