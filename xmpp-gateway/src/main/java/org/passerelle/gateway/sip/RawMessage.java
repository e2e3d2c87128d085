package org.passerelle.gateway.sip;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.text.ParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import javax.sip.message.Request;
import org.passerelle.gateway.sip.stream.RawResponses;

/**
 * A MESSAGE read from its own bytes in one pass, without JAIN-SIP (decision 21): the request line
 * and the headers dispatch and {@link IncomingMessage} need, every header RFC 3261 §8.1.1 requires
 * checked.
 *
 * <p>It reads a strict subset of RFC 3261's grammar (§25): single spaces in the request line,
 * lower-case {@code sip:} and {@code sips:} URIs with a host name or IPv4 address, no line folding,
 * each singleton header once, parameters without escaped quotes. What falls outside that subset is
 * not read here ({@link #read} gives nothing) but by JAIN-SIP, as every request was before: so a
 * request read here is one JAIN-SIP reads too, to the same values, which {@code RawMessageFuzzTest}
 * checks against JAIN-SIP on generated and mutated requests. JAIN-SIP parses it after all only when
 * a response needs more than the request's own lines ({@link #parsed}).
 */
final class RawMessage implements ReceivedRequest {

  private static final byte[] REQUEST_LINE_START = "MESSAGE ".getBytes(UTF_8);
  private static final String REQUEST_LINE_END = " SIP/2.0";

  /** RFC 3261 §8.1.1.5: a CSeq number below 2^31. */
  private static final long CSEQ_LIMIT = 1L << 31;

  private final byte[] bytes;
  private final int bodyStart;
  private final String requestUri;
  private final String requestHost;
  private final Address from;
  private final Address to;
  private final String callId;
  private final String mediaType;
  private final Optional<String> charset;
  private final Optional<String> subject;
  private final Optional<String> contentLanguage;
  private Request parsed;

  private RawMessage(
      byte[] bytes, int bodyStart, String requestUri, String requestHost, Head head) {
    this.bytes = bytes;
    this.bodyStart = bodyStart;
    this.requestUri = requestUri;
    this.requestHost = requestHost;
    this.from = head.from;
    this.to = head.to;
    this.callId = head.callId;
    this.mediaType = head.mediaType;
    this.charset = Optional.ofNullable(head.charset);
    this.subject = Optional.ofNullable(head.subject);
    this.contentLanguage = Optional.ofNullable(head.contentLanguage);
  }

  /**
   * The MESSAGE in {@code bytes} (a whole request, head and body, as the stream framed it); empty
   * when it is another method or falls outside the subset read here.
   */
  static Optional<RawMessage> read(byte[] bytes) {
    if (!startsWith(bytes, REQUEST_LINE_START)) {
      return Optional.empty();
    }
    int blank = RawResponses.headEnd(bytes);
    if (blank < 0) {
      return Optional.empty();
    }
    String text = new String(bytes, 0, blank, UTF_8);
    int lineEnd = text.indexOf("\r\n");
    if (lineEnd < 0 || !text.startsWith(REQUEST_LINE_END, lineEnd - REQUEST_LINE_END.length())) {
      return Optional.empty();
    }
    String requestUri =
        text.substring(REQUEST_LINE_START.length, lineEnd - REQUEST_LINE_END.length());
    String requestHost = SipUriSyntax.host(requestUri);
    if (requestHost == null) {
      return Optional.empty();
    }
    Head head = new Head();
    if (!head.read(text, lineEnd + 2)) {
      return Optional.empty();
    }
    return Optional.of(
        new RawMessage(bytes, blank + 4, requestUri, requestHost.toLowerCase(Locale.ROOT), head));
  }

  @Override
  public String method() {
    return Request.MESSAGE;
  }

  @Override
  public Optional<String> sipHost() {
    return Optional.of(requestHost);
  }

  @Override
  public int bodyLength() {
    return bytes.length - bodyStart;
  }

  @Override
  public Optional<String> fromHost() {
    return Optional.of(from.host());
  }

  @Override
  public String fromUri() {
    return from.uri();
  }

  @Override
  public String callId() {
    return callId;
  }

  @Override
  public MessageFields messageFields() {
    return new MessageFields(
        requestUri,
        from.uri(),
        to.uri(),
        callId,
        mediaType,
        charset,
        Arrays.copyOfRange(bytes, bodyStart, bytes.length),
        subject,
        contentLanguage);
  }

  @Override
  public synchronized Request parsed() throws ParseException {
    if (parsed == null) {
      try {
        parsed = RequestParser.parse(bytes);
      } catch (RuntimeException e) {
        throw (ParseException) new ParseException(e.toString(), 0).initCause(e);
      }
    }
    return parsed;
  }

  @Override
  public String toString() {
    return "MESSAGE " + requestUri + " from " + from.uri() + ", Call-ID " + callId;
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    return bytes.length >= prefix.length
        && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** A From or To: its URI as written and that URI's host. */
  private record Address(String uri, String host) {}

  /** The header lines, read once; {@link #read} is false when one is outside the subset. */
  private static final class Head {
    boolean via;
    Address from;
    Address to;
    String callId;
    boolean cseq;
    boolean maxForwards;
    boolean contentLength;
    boolean contentType;
    String mediaType = "";
    String charset;
    String subject;
    String contentLanguage;

    boolean read(String text, int start) {
      int at = start;
      while (at < text.length()) {
        int end = text.indexOf("\r\n", at);
        if (end < 0) {
          end = text.length();
        }
        if (!header(text.substring(at, end))) {
          return false;
        }
        at = end + 2;
      }
      return via && from != null && to != null && callId != null && cseq && maxForwards;
    }

    private boolean header(String line) {
      int colon = line.indexOf(':');
      if (colon <= 0
          || line.indexOf('\r') >= 0
          || line.indexOf('\n') >= 0
          || HeaderSyntax.isSpace(line.charAt(0))) {
        return false; // no name, a bare CR or LF, or a folded line (§7.3.1)
      }
      String name = HeaderSyntax.trim(line.substring(0, colon));
      if (!HeaderSyntax.isToken(name)) {
        return false;
      }
      String value = HeaderSyntax.trim(line.substring(colon + 1));
      return switch (name.toLowerCase(Locale.ROOT)) {
        case "via", "v" -> via(value);
        case "from", "f" -> from == null && (from = address(value)) != null;
        case "to", "t" -> to == null && (to = address(value)) != null;
        case "call-id", "i" -> callId(value);
        case "cseq" -> once(cseq) && (cseq = isCseq(value));
        case "max-forwards" -> once(maxForwards) && (maxForwards = isMaxForwards(value));
        case "content-length", "l" ->
            once(contentLength) && (contentLength = HeaderSyntax.isDigits(value, 9));
        case "content-type", "c" -> once(contentType) && (contentType = contentType(value));
        case "subject", "s" -> subject == null && (subject = subject(value)) != null;
        case "content-language" ->
            contentLanguage == null && (contentLanguage = firstLanguage(value)) != null;
        default -> true; // not read here; a malformed one JAIN-SIP would leave out too
      };
    }

    /** A header that may appear once: not read here when it comes again. */
    private static boolean once(boolean seen) {
      return !seen;
    }

    /** Every Via value is checked: JAIN-SIP refuses a request with any malformed one. */
    private boolean via(String value) {
      via = true;
      return HeaderSyntax.isVia(value);
    }

    private boolean callId(String value) {
      if (callId != null || !HeaderSyntax.isCallId(value)) {
        return false;
      }
      callId = value;
      return true;
    }

    /** RFC 3261 §20.16: number LWS method, the method the request line's. */
    private static boolean isCseq(String value) {
      int space = HeaderSyntax.indexOfSpace(value);
      if (space < 0 || !HeaderSyntax.isDigits(value.substring(0, space), 10)) {
        return false;
      }
      return Long.parseLong(value.substring(0, space)) < CSEQ_LIMIT
          && HeaderSyntax.trim(value.substring(space)).equals(Request.MESSAGE);
    }

    /** RFC 3261 §20.22: 0–255. */
    private static boolean isMaxForwards(String value) {
      return HeaderSyntax.isDigits(value, 3) && Integer.parseInt(value) <= 255;
    }

    /** RFC 3261 §20.15: type "/" subtype *(SEMI param); the charset parameter kept. */
    private boolean contentType(String value) {
      int semi = value.indexOf(';');
      String type = semi < 0 ? value : HeaderSyntax.trim(value.substring(0, semi));
      int slash = type.indexOf('/');
      if (slash < 0
          || !HeaderSyntax.isToken(type.substring(0, slash))
          || !HeaderSyntax.isToken(type.substring(slash + 1))) {
        return false;
      }
      mediaType = type.toLowerCase(Locale.ROOT);
      if (semi < 0) {
        return true;
      }
      HeaderSyntax.Parameters parameters = HeaderSyntax.parameters(value.substring(semi), true);
      if (parameters == null) {
        return false;
      }
      charset = parameters.unquoted("charset");
      return true;
    }

    /** RFC 3261 §20.36: any text; none, or one JAIN-SIP might read otherwise, is not read here. */
    private static String subject(String value) {
      if (value.isEmpty()) {
        return null;
      }
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c < 0x20 || c == 0x7f || c == '\uFFFD') {
          return null;
        }
      }
      return value;
    }

    /**
     * RFC 3261 §20.13: language tags, comma separated; the first one, as JAIN-SIP's {@code
     * ContentLanguage} gives it ({@link HeaderSyntax#languageAsJainSipWrites}; tags are
     * case-insensitive, RFC 5646 §2.1.1).
     */
    private static String firstLanguage(String value) {
      String first = null;
      for (String tag : value.split(",", -1)) {
        String trimmed = HeaderSyntax.trim(tag);
        if (!HeaderSyntax.isLanguageTag(trimmed)) {
          return null;
        }
        if (first == null) {
          first = HeaderSyntax.languageAsJainSipWrites(trimmed);
        }
      }
      return first;
    }

    /**
     * RFC 3261 §20.20, §20.39: name-addr or addr-spec, then parameters. In addr-spec form the URI
     * ends at the first semicolon: what follows are the header's parameters (§20.10).
     */
    private static Address address(String value) {
      String uri;
      String rest;
      int open = value.indexOf('<');
      if (open >= 0) {
        if (!HeaderSyntax.isDisplayName(HeaderSyntax.trim(value.substring(0, open)))) {
          return null;
        }
        int close = value.indexOf('>', open);
        if (close < 0) {
          return null;
        }
        uri = value.substring(open + 1, close);
        rest = value.substring(close + 1);
      } else {
        int semi = value.indexOf(';');
        uri = semi < 0 ? value : HeaderSyntax.trim(value.substring(0, semi));
        rest = semi < 0 ? "" : value.substring(semi);
      }
      String host = SipUriSyntax.host(uri);
      if (host == null) {
        return null;
      }
      String parameters = HeaderSyntax.trim(rest);
      if (!parameters.isEmpty() && HeaderSyntax.parameters(parameters, false) == null) {
        return null;
      }
      return new Address(uri, host);
    }
  }
}
