package org.passerelle.gateway.sip;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Optional;

/**
 * Writes a MESSAGE whose addresses came parsed straight to its bytes (decision 25): byte for byte
 * what JAIN-SIP's {@code encodeAsBytes} gives for the request {@link MessageRequests#request}
 * builds from the same draft once {@code setVia} has named the transport, which {@code
 * MessageWriterTest} checks on generated messages. Building and encoding that request cost 4–6 µs
 * per message, the largest single piece of the gateway's XMPP→SIP work; this costs well under one.
 */
final class MessageWriter {

  private static final byte[] REQUEST_LINE = ascii("MESSAGE ");
  private static final byte[] CALL_ID = ascii(" SIP/2.0\r\nCall-ID: ");
  private static final byte[] CSEQ = ascii("\r\nCSeq: ");
  private static final byte[] FROM = ascii(" MESSAGE\r\nFrom: <");
  private static final byte[] TAG = ascii(">;tag=");
  private static final byte[] TO = ascii("\r\nTo: <");
  private static final byte[] VIA = ascii(">\r\nVia: SIP/2.0/");
  private static final byte[] BRANCH = ascii(";branch=");
  private static final byte[] CONSTANTS =
      ascii(
          "\r\nMax-Forwards: "
              + MessageRequests.MAX_FORWARDS
              + "\r\nContent-Type: text/plain;charset=UTF-8");
  private static final byte[] SUBJECT = ascii("\r\nSubject: ");
  private static final byte[] CONTENT_LANGUAGE = ascii("\r\nContent-Language: ");
  private static final byte[] CONTENT_LENGTH = ascii("\r\nContent-Length: ");
  private static final byte[] HEAD_END = ascii("\r\n\r\n");

  private final byte[] out;
  private int at;

  private MessageWriter(int size) {
    this.out = new byte[size];
  }

  /**
   * The request's bytes.
   *
   * @param port our port for {@code transport}, written in the Via
   * @param branch the Via branch, or {@code null} for none (to learn the request's size as it
   *     stands)
   * @throws IllegalArgumentException if the draft's addresses did not come parsed
   */
  static byte[] write(MessageDraft draft, SipTransport transport, int port, String branch) {
    OutgoingMessage m = draft.message();
    OutgoingMessage.Uris uris =
        m.uris().orElseThrow(() -> new IllegalArgumentException("addresses given as text"));
    String requestUri = uris.requestUri().toString();
    String from = uris.from().toString();
    String to = uris.to().toString();
    String via = viaHost(draft.viaHost());
    Optional<String> subject = m.subject();
    Optional<String> language = m.contentLanguage().map(HeaderSyntax::languageAsJainSipWrites);
    byte[] body = draft.body();

    int size =
        REQUEST_LINE.length
            + length(requestUri)
            + CALL_ID.length
            + length(draft.callId())
            + CSEQ.length
            + digits(draft.cseq())
            + FROM.length
            + length(from)
            + TAG.length
            + length(draft.tag())
            + TO.length
            + length(to)
            + VIA.length
            + transport.name().length()
            + 1
            + via.length()
            + 1
            + digits(port)
            + (branch == null ? 0 : BRANCH.length + length(branch))
            + CONSTANTS.length
            + subject.map(s -> SUBJECT.length + length(s)).orElse(0)
            + language.map(l -> CONTENT_LANGUAGE.length + l.length()).orElse(0)
            + CONTENT_LENGTH.length
            + digits(body.length)
            + HEAD_END.length
            + body.length;

    MessageWriter w = new MessageWriter(size);
    w.put(REQUEST_LINE).put(requestUri);
    w.put(CALL_ID).put(draft.callId());
    w.put(CSEQ).putNumber(draft.cseq());
    w.put(FROM).put(from).put(TAG).put(draft.tag());
    w.put(TO).put(to);
    w.put(VIA)
        .put(transport.name()) // upper case, as JAIN-SIP's Via writes it
        .putByte(' ')
        .put(via)
        .putByte(':')
        .putNumber(port);
    if (branch != null) {
      w.put(BRANCH).put(branch);
    }
    w.put(CONSTANTS);
    if (subject.isPresent()) {
      w.put(SUBJECT).put(subject.get());
    }
    if (language.isPresent()) {
      w.put(CONTENT_LANGUAGE).put(language.get());
    }
    w.put(CONTENT_LENGTH).putNumber(body.length).put(HEAD_END).put(body);
    if (w.at != size) {
      throw new IllegalStateException("wrote " + w.at + " bytes of " + size);
    }
    return w.out;
  }

  /** JAIN-SIP writes an IPv6 address in a Via between brackets (RFC 3261 §25.1 {@code host}). */
  private static String viaHost(String host) {
    return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  private MessageWriter put(byte[] bytes) {
    System.arraycopy(bytes, 0, out, at, bytes.length);
    at += bytes.length;
    return this;
  }

  private MessageWriter putByte(char c) {
    out[at++] = (byte) c;
    return this;
  }

  private MessageWriter put(String s) {
    if (!isAscii(s)) {
      return put(s.getBytes(UTF_8));
    }
    for (int i = 0; i < s.length(); i++) {
      out[at++] = (byte) s.charAt(i);
    }
    return this;
  }

  private MessageWriter putNumber(long n) {
    int end = at + digits(n);
    long rest = n;
    for (int i = end - 1; i >= at; i--) {
      out[i] = (byte) ('0' + rest % 10);
      rest /= 10;
    }
    at = end;
    return this;
  }

  /** The bytes {@link #put(String)} writes: UTF-8, as JAIN-SIP encodes. */
  private static int length(String s) {
    return isAscii(s) ? s.length() : s.getBytes(UTF_8).length;
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** Decimal digits of {@code n} ≥ 0. */
  private static int digits(long n) {
    int digits = 1;
    for (long rest = n / 10; rest > 0; rest /= 10) {
      digits++;
    }
    return digits;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(US_ASCII);
  }
}
