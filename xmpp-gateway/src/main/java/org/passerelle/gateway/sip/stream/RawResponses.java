package org.passerelle.gateway.sip.stream;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * A final response written from its request's raw bytes (RFC 3261 §8.2.6): the status line and the
 * headers a response copies from its request (§8.2.6.2: Via, From, To, Call-ID, CSeq; and
 * Timestamp, §8.2.6.1), taken as they came, compact forms and folding included, with a To tag added
 * where there was none and the top Via stamped with {@code received} and {@code rport} (§18.2.1,
 * RFC 3581 §4).
 *
 * <p>It answers requests too broken to parse (400), and the plain answers to parsed ones: encoding
 * those headers again through JAIN-SIP cost a fifth of the gateway's CPU per SIP→XMPP message.
 */
public final class RawResponses {

  private static final int VIA = 1;
  private static final int FROM = 2;
  private static final int TO = 4;
  private static final int CALL_ID = 8;
  private static final int CSEQ = 16;
  private static final int REQUIRED = VIA | FROM | TO | CALL_ID | CSEQ;
  private static final int TIMESTAMP = 32;

  private RawResponses() {}

  /**
   * The response's bytes, or {@code null} when the request cannot be answered: no complete head, an
   * ACK (never answered, RFC 3261 §17.1.1.3), or a header the response must copy missing.
   *
   * @param source where the request came from, for the top Via's {@code received} and {@code rport}
   * @param reason the reason phrase; line ends are replaced so that it cannot add a header
   * @param toTag called for a tag when the request's To has none
   */
  public static byte[] answer(
      byte[] request,
      InetSocketAddress source,
      int statusCode,
      String reason,
      Supplier<String> toTag) {
    int headEnd = headEnd(request);
    if (headEnd < 0) {
      return null;
    }
    // The head only, one char per byte: the copied headers go back exactly as they came, whatever
    // their charset; the body is not read.
    String text = new String(request, 0, headEnd + 4, StandardCharsets.ISO_8859_1);
    if (text.startsWith("ACK ")) {
      return null;
    }
    StringBuilder out = new StringBuilder(headEnd + 96);
    out.append("SIP/2.0 ").append(statusCode).append(' ');
    appendReason(out, reason);
    out.append("\r\n");
    int seen = 0;
    int start = text.indexOf("\r\n") + 2;
    while (start < headEnd) {
      int end = headerEnd(text, start, headEnd);
      int colon = text.indexOf(':', start);
      int header = colon < 0 || colon > end ? 0 : copied(text, start, colon);
      if (header == VIA && (seen & VIA) == 0) {
        appendTopVia(out, text, start, colon + 1, end, source);
      } else if (header == TO && !hasTag(text, colon + 1, end)) {
        out.append(text, start, end).append(";tag=").append(toTag.get());
      } else if (header != 0) {
        out.append(text, start, end);
      }
      if (header != 0) {
        out.append("\r\n");
      }
      seen |= header;
      start = end + 2;
    }
    if ((seen & REQUIRED) != REQUIRED) {
      return null;
    }
    out.append("Content-Length: 0\r\n\r\n");
    return out.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Where the head ends: the index of its blank line's CRLF CRLF, or -1. */
  public static int headEnd(byte[] message) {
    for (int i = 0; i + 3 < message.length; i++) {
      if (message[i] == '\r'
          && message[i + 1] == '\n'
          && message[i + 2] == '\r'
          && message[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /**
   * Which copied header the name in [from, to) is (long or compact form, RFC 3261 §7.3.3), or 0;
   * compared in place, as this runs for every header of every request.
   */
  private static int copied(String text, int from, int to) {
    int start = skipWhitespace(text, from, to);
    int end = to;
    while (end > start && isWhitespace(text.charAt(end - 1))) {
      end--;
    }
    return switch (end - start) {
      case 1 ->
          switch (Character.toLowerCase(text.charAt(start))) {
            case 'v' -> VIA;
            case 'f' -> FROM;
            case 't' -> TO;
            case 'i' -> CALL_ID;
            default -> 0;
          };
      case 2 -> is(text, start, "to") ? TO : 0;
      case 3 -> is(text, start, "via") ? VIA : 0;
      case 4 -> is(text, start, "from") ? FROM : is(text, start, "cseq") ? CSEQ : 0;
      case 7 -> is(text, start, "call-id") ? CALL_ID : 0;
      case 9 -> is(text, start, "timestamp") ? TIMESTAMP : 0;
      default -> 0;
    };
  }

  /** Whether {@code name} is at {@code at}, whatever its case. */
  private static boolean is(String text, int at, String name) {
    return text.regionMatches(true, at, name, 0, name.length());
  }

  /** Where a header ends: before the CRLF of its last line, folded lines included (§7.3.1). */
  private static int headerEnd(String text, int start, int headEnd) {
    int end = text.indexOf("\r\n", start);
    while (end >= 0 && end < headEnd && isFold(text.charAt(end + 2))) {
      end = text.indexOf("\r\n", end + 2);
    }
    return end < 0 || end > headEnd ? headEnd : end;
  }

  /** The reason phrase as UTF-8, one char per byte like the rest; CR and LF become spaces. */
  private static void appendReason(StringBuilder out, String reason) {
    for (byte b : reason.getBytes(StandardCharsets.UTF_8)) {
      out.append(b == '\r' || b == '\n' ? ' ' : (char) (b & 0xff));
    }
  }

  /**
   * Whether a To value has a tag parameter: after its name-addr's closing bracket, where header
   * parameters are (§20: a URI with parameters must be bracketed), whitespace allowed around the
   * equals sign (§25.1).
   */
  private static boolean hasTag(String text, int from, int end) {
    int bracket = text.lastIndexOf('>', end - 1);
    int i = bracket >= from ? bracket : from;
    while ((i = text.indexOf(';', i)) >= 0 && i < end) {
      int name = skipWhitespace(text, i + 1, end);
      if (text.regionMatches(true, name, "tag", 0, 3)
          && skipWhitespace(text, name + 3, end) < end
          && text.charAt(skipWhitespace(text, name + 3, end)) == '=') {
        return true;
      }
      i++;
    }
    return false;
  }

  /**
   * The first Via header with its first value stamped (RFC 3261 §18.2.1): {@code received} when the
   * sent-by host is not where the request came from, and {@code rport} filled in when the client
   * asked for it (RFC 3581 §4). The other values follow as they came.
   */
  private static void appendTopVia(
      StringBuilder out,
      String text,
      int start,
      int valueStart,
      int end,
      InetSocketAddress source) {
    int valueEnd = nextOutsideQuotes(text, valueStart, end, ',');
    int paramStart = nextOutsideQuotes(text, valueStart, valueEnd, ';');
    String address = source.getAddress().getHostAddress();
    boolean stampReceived = !isAddress(sentByHost(text, valueStart, paramStart), source);
    out.append(text, start, paramStart);
    for (int i = paramStart; i < valueEnd; ) {
      int next = nextOutsideQuotes(text, i + 1, valueEnd, ';');
      int equals = text.indexOf('=', i);
      boolean valued = equals >= 0 && equals < next;
      int nameStart = skipWhitespace(text, i + 1, next);
      int nameEnd = valued ? equals : next;
      while (nameEnd > nameStart && isWhitespace(text.charAt(nameEnd - 1))) {
        nameEnd--;
      }
      int nameLength = nameEnd - nameStart;
      if (nameLength == 5 && is(text, nameStart, "rport") && !valued) {
        out.append(";rport=").append(source.getPort());
      } else if (!(nameLength == 8 && is(text, nameStart, "received") && stampReceived)) {
        out.append(text, i, next);
      }
      i = next;
    }
    if (stampReceived) {
      out.append(";received=").append(address);
    }
    out.append(text, valueEnd, end);
  }

  /**
   * The host of a Via value's sent-by (§20.42: {@code SIP/2.0/TCP host:port}, whitespace allowed
   * around the slashes), without an IPv6 reference's brackets.
   */
  private static String sentByHost(String text, int from, int to) {
    int slash = text.lastIndexOf('/', to - 1);
    if (slash < from) {
      return "";
    }
    int transport = skipWhitespace(text, slash + 1, to);
    int afterTransport = transport;
    while (afterTransport < to && !isWhitespace(text.charAt(afterTransport))) {
      afterTransport++;
    }
    int host = skipWhitespace(text, afterTransport, to);
    if (host < to && text.charAt(host) == '[') {
      int close = text.indexOf(']', host);
      return close < 0 || close >= to ? "" : text.substring(host + 1, close);
    }
    int hostEnd = host;
    while (hostEnd < to && text.charAt(hostEnd) != ':' && !isWhitespace(text.charAt(hostEnd))) {
      hostEnd++;
    }
    return text.substring(host, hostEnd);
  }

  /** Whether a sent-by host is the source's address; an IPv6 one in any of its spellings. */
  private static boolean isAddress(String host, InetSocketAddress source) {
    if (host.equals(source.getAddress().getHostAddress())) {
      return true;
    }
    try {
      // Only a literal reaches getByName, which then parses without asking DNS.
      return host.indexOf(':') >= 0 && InetAddress.getByName(host).equals(source.getAddress());
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** The index of {@code c} in [from, to) outside a quoted string (§25.1), or {@code to}. */
  private static int nextOutsideQuotes(String text, int from, int to, char c) {
    boolean quoted = false;
    for (int i = from; i < to; i++) {
      char at = text.charAt(i);
      if (quoted && at == '\\') {
        i++; // a quoted pair
      } else if (at == '"') {
        quoted = !quoted;
      } else if (at == c && !quoted) {
        return i;
      }
    }
    return to;
  }

  private static int skipWhitespace(String text, int from, int to) {
    int i = from;
    while (i < to && isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  /** Linear whitespace, folding's line ends included (§25.1). */
  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  /** Whether a line starting with {@code c} continues the header above it (§7.3.1). */
  private static boolean isFold(char c) {
    return c == ' ' || c == '\t';
  }
}
