package org.passerelle.testpeers.sip;

import gov.nist.javax.sip.header.SIPHeader;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Map;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import org.passerelle.testpeers.SipTransport;

/** Reads what the tests look at from a received JAIN-SIP request. */
final class ReceivedRequests {

  private ReceivedRequests() {}

  /** Every header value by lower-case full name, in order. */
  static Map<String, List<String>> headers(Request request) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    ListIterator<?> names = request.getHeaderNames();
    while (names.hasNext()) {
      String name = (String) names.next();
      List<String> values =
          headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>());
      ListIterator<?> each = request.getHeaders(name);
      while (each.hasNext()) {
        values.add(value((Header) each.next()));
      }
    }
    headers.replaceAll((name, values) -> List.copyOf(values));
    return Collections.unmodifiableMap(headers);
  }

  /** The body decoded with the charset its Content-Type names, UTF-8 by default; "" if none. */
  static String body(Request request) {
    byte[] raw = request.getRawContent();
    if (raw == null) {
      return "";
    }
    return new String(raw, charset((ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME)));
  }

  /** The Content-Type as sent, e.g. {@code text/plain;charset=UTF-8}; "" if none. */
  static String contentType(Request request) {
    Header header = request.getHeader(ContentTypeHeader.NAME);
    return header == null ? "" : value(header);
  }

  static String fromUri(Request request) {
    return ((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI().toString();
  }

  static String toUri(Request request) {
    return ((ToHeader) request.getHeader(ToHeader.NAME)).getAddress().getURI().toString();
  }

  /** The transport the request came over, from its top Via (RFC 3261 §18.2.1). */
  static SipTransport transport(Request request) {
    ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
    return SipTransport.valueOf(via.getTransport().toUpperCase(Locale.ROOT));
  }

  /** The start of {@code text}, for failure messages. */
  static String excerpt(String text) {
    int limit = 60;
    return text.length() <= limit ? text : text.substring(0, limit) + "…";
  }

  private static String value(Header header) {
    if (header instanceof SIPHeader sipHeader) {
      return sipHeader.getHeaderValue().strip();
    }
    String line = header.toString();
    return line.substring(line.indexOf(':') + 1).strip();
  }

  private static Charset charset(ContentTypeHeader contentType) {
    String name = contentType == null ? null : contentType.getParameter("charset");
    if (name == null) {
      return StandardCharsets.UTF_8;
    }
    try {
      return Charset.forName(name.replace("\"", ""));
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      return StandardCharsets.UTF_8;
    }
  }
}
