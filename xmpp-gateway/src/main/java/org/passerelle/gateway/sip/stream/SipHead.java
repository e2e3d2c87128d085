package org.passerelle.gateway.sip.stream;

import java.util.Locale;
import java.util.Optional;

/**
 * What the stream transport reads of a SIP message's head (RFC 3261 §7): the start line, and the
 * headers that frame a message and match a response to its request. Everything else is left to
 * whoever parses the message in full, when that is needed at all.
 *
 * @param request whether the start line is a request line
 * @param status the status code of a response, 0 for a request
 * @param reason the reason phrase of a response, possibly empty
 * @param topViaBranch the branch parameter of the first Via value, if any
 * @param callId the Call-ID, if present
 * @param cseqMethod the method named in CSeq, if present
 * @param contentLength the Content-Length, 0 when absent
 */
public record SipHead(
    boolean request,
    int status,
    String reason,
    Optional<String> topViaBranch,
    Optional<String> callId,
    Optional<String> cseqMethod,
    int contentLength) {

  private static final String VERSION = "SIP/2.0";

  /**
   * Reads a head: the start line and header lines, without the blank line that ends them.
   *
   * @throws MalformedSipException if the start line or a header read here is malformed
   */
  public static SipHead parse(String head) throws MalformedSipException {
    int lineEnd = head.indexOf("\r\n");
    String startLine = lineEnd < 0 ? head : head.substring(0, lineEnd);
    boolean request = !startLine.startsWith(VERSION + " ");
    int status = 0;
    String reason = "";
    if (!request) {
      // RFC 3261 §7.2: Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF
      int codeStart = VERSION.length() + 1;
      if (startLine.length() < codeStart + 3) {
        throw new MalformedSipException("status line too short: " + startLine);
      }
      status = statusCode(startLine, codeStart);
      if (startLine.length() > codeStart + 3) {
        if (startLine.charAt(codeStart + 3) != ' ') {
          throw new MalformedSipException("bad status line: " + startLine);
        }
        reason = startLine.substring(codeStart + 4);
      }
    } else if (!startLine.endsWith(" " + VERSION)) {
      throw new MalformedSipException("neither a request line nor a status line: " + startLine);
    }
    Headers headers = new Headers();
    if (lineEnd >= 0) {
      headers.read(head, lineEnd + 2);
    }
    return new SipHead(
        request,
        status,
        reason,
        Optional.ofNullable(headers.topViaBranch),
        Optional.ofNullable(headers.callId),
        Optional.ofNullable(headers.cseqMethod),
        headers.contentLength);
  }

  /** Whether this is a final response (RFC 3261 §7.2: 200–699). */
  public boolean isFinalResponse() {
    return !request && status >= 200;
  }

  private static int statusCode(String line, int at) throws MalformedSipException {
    int code = 0;
    for (int i = at; i < at + 3; i++) {
      char c = line.charAt(i);
      if (c < '0' || c > '9') {
        throw new MalformedSipException("bad status code: " + line);
      }
      code = code * 10 + (c - '0');
    }
    if (code < 100 || code > 699) {
      throw new MalformedSipException("status code out of range: " + line);
    }
    return code;
  }

  /** The headers read, in one pass over the header lines. */
  private static final class Headers {
    String topViaBranch;
    boolean viaSeen;
    String callId;
    String cseqMethod;
    int contentLength;

    void read(String head, int from) throws MalformedSipException {
      int start = from;
      while (start < head.length()) {
        int end = lineEnd(head, start);
        // RFC 3261 §7.3.1: a line starting with white space continues the previous one.
        int next = end + 2;
        while (next < head.length() && (head.charAt(next) == ' ' || head.charAt(next) == '\t')) {
          end = lineEnd(head, next);
          next = end + 2;
        }
        header(head.substring(start, Math.min(end, head.length())));
        start = next;
      }
    }

    private static int lineEnd(String head, int from) {
      int end = head.indexOf("\r\n", from);
      return end < 0 ? head.length() : end;
    }

    private void header(String line) throws MalformedSipException {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new MalformedSipException("header line without a name: " + line);
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = unfold(line.substring(colon + 1)).trim();
      switch (name) {
        case "via", "v" -> {
          if (!viaSeen) {
            viaSeen = true;
            topViaBranch = branchOf(firstValue(value));
          }
        }
        case "call-id", "i" -> callId = value;
        case "cseq" -> {
          int space = value.indexOf(' ');
          cseqMethod = space < 0 ? null : value.substring(space + 1).trim();
        }
        case "content-length", "l" -> contentLength = length(value);
        default -> {}
      }
    }

    private static String unfold(String value) {
      return value.indexOf('\r') < 0 ? value : value.replaceAll("\r\n[ \t]+", " ");
    }

    /** The first of comma-separated Via values (RFC 3261 §7.3.1); none carries a quoted comma. */
    private static String firstValue(String value) {
      int comma = value.indexOf(',');
      return comma < 0 ? value : value.substring(0, comma);
    }

    /** RFC 3261 §20.42: via-params, with white space allowed around ';' and '='. */
    private static String branchOf(String via) {
      int semi = via.indexOf(';');
      while (semi >= 0) {
        int nextSemi = via.indexOf(';', semi + 1);
        String param = via.substring(semi + 1, nextSemi < 0 ? via.length() : nextSemi);
        int equals = param.indexOf('=');
        if (equals > 0 && param.substring(0, equals).trim().equalsIgnoreCase("branch")) {
          return param.substring(equals + 1).trim();
        }
        semi = nextSemi;
      }
      return null;
    }

    private static int length(String value) throws MalformedSipException {
      if (value.isEmpty() || value.length() > 9) {
        throw new MalformedSipException("bad Content-Length: " + value);
      }
      int n = 0;
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c < '0' || c > '9') {
          throw new MalformedSipException("bad Content-Length: " + value);
        }
        n = n * 10 + (c - '0');
      }
      return n;
    }
  }
}
