package org.passerelle.model.address;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.passerelle.model.address.AddressException.Reason;

/** {@code %hh} escapes of SIP URIs (RFC 3261 §25.1, RFC 3986 §2.1), always decoded as UTF-8. */
final class PercentEncoding {
  private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();

  /**
   * Characters a SIP {@code user} may carry unescaped: {@code unreserved} and {@code
   * user-unreserved} of RFC 3261 §25.1 (the "allowed" column of RFC 7247 §6.2 Table 1).
   */
  static final boolean[] USER = allowed("&=+$,;?/");

  /**
   * Characters a URI parameter name or value may carry unescaped: {@code paramchar} of RFC 3261
   * §25.1 ({@code unreserved} and {@code param-unreserved}).
   */
  static final boolean[] PARAM = allowed("[]/:&+$");

  private PercentEncoding() {}

  private static boolean[] allowed(String extra) {
    boolean[] table = new boolean[128];
    for (char c = 'a'; c <= 'z'; c++) {
      table[c] = true;
      table[Character.toUpperCase(c)] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      table[c] = true;
    }
    for (char c : "-_.!~*'()".toCharArray()) { // mark, RFC 3261 §25.1
      table[c] = true;
    }
    for (char c : extra.toCharArray()) {
      table[c] = true;
    }
    return table;
  }

  static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static int hexValue(char c) {
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
  }

  /**
   * Checks that {@code text[from, to)} only has characters of {@code allowed} and well-formed
   * escapes, and returns it decoded. Escaped bytes must form UTF-8 (RFC 7247 §6.4 step 4).
   */
  static String decode(String text, int from, int to, boolean[] allowed, String what) {
    boolean escaped = false;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c == '%') {
        if (i + 2 >= to || !isHex(text.charAt(i + 1)) || !isHex(text.charAt(i + 2))) {
          throw new AddressException(
              Reason.MALFORMED_URI,
              what
                  + " has a '%' at index "
                  + i
                  + " not followed by two hex digits (RFC 3261 §25.1)");
        }
        escaped = true;
        i += 2;
      } else if (c >= 128 || !allowed[c]) {
        throw new AddressException(
            Reason.MALFORMED_URI,
            what
                + " has "
                + describe(text.codePointAt(i))
                + " at index "
                + i
                + ", which must be percent-encoded (RFC 3261 §25.1)");
      }
    }
    if (!escaped) {
      return text.substring(from, to);
    }
    byte[] bytes = new byte[to - from];
    int n = 0;
    boolean ascii = true;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c == '%') {
        int b = hexValue(text.charAt(i + 1)) << 4 | hexValue(text.charAt(i + 2));
        ascii &= b < 0x80;
        bytes[n++] = (byte) b;
        i += 2;
      } else {
        bytes[n++] = (byte) c;
      }
    }
    if (ascii) {
      return new String(bytes, 0, n, StandardCharsets.US_ASCII);
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, 0, n))
          .toString();
    } catch (CharacterCodingException e) {
      throw new AddressException(
          Reason.UNSUPPORTED_URI,
          what + " does not decode as UTF-8 (RFC 7247 §6.4 reads it as UTF-8)");
    }
  }

  /**
   * Appends {@code value} with every character outside {@code allowed} escaped as the {@code %HH}
   * of its UTF-8 bytes, upper-case hex (RFC 3986 §2.1).
   *
   * @throws IllegalArgumentException if {@code value} has an unpaired surrogate
   */
  static void encode(StringBuilder out, String value, boolean[] allowed) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 128) {
        if (allowed[c]) {
          out.append(c);
        } else {
          appendByte(out, c);
        }
        continue;
      }
      int cp = value.codePointAt(i);
      if (Character.isSurrogate(c) && !Character.isSupplementaryCodePoint(cp)) {
        throw new IllegalArgumentException("unpaired surrogate at index " + i);
      }
      if (cp < 0x800) {
        appendByte(out, 0xC0 | cp >> 6);
      } else {
        if (cp < 0x10000) {
          appendByte(out, 0xE0 | cp >> 12);
        } else {
          appendByte(out, 0xF0 | cp >> 18);
          appendByte(out, 0x80 | (cp >> 12 & 0x3F));
          i++;
        }
        appendByte(out, 0x80 | (cp >> 6 & 0x3F));
      }
      appendByte(out, 0x80 | (cp & 0x3F));
    }
  }

  /**
   * Checks that {@code value} is valid UTF-16 (no unpaired surrogate), so that {@link #encode} can
   * write it.
   */
  static void requireWellFormed(String value, String what) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isSurrogate(c)) {
        if (!Character.isSupplementaryCodePoint(value.codePointAt(i))) {
          throw new IllegalArgumentException(what + " has an unpaired surrogate at index " + i);
        }
        i++;
      }
    }
  }

  private static void appendByte(StringBuilder out, int b) {
    out.append('%').append(HEX_UPPER[b >> 4 & 0xF]).append(HEX_UPPER[b & 0xF]);
  }

  /** A character for an error message: quoted if printable ASCII, else its code point. */
  static String describe(int codePoint) {
    String hex = String.format("U+%04X", codePoint);
    return codePoint > 0x20 && codePoint < 0x7F ? "'" + (char) codePoint + "' (" + hex + ")" : hex;
  }
}
