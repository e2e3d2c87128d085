package org.passerelle.gateway.presence;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * XMPP resourcepart ⇄ PIDF tuple id (RFC 8048 §6.2 Table 1). A tuple id is an {@code xs:ID}, an XML
 * NCName, while a resource may hold any character (RFC 7622 §3.4), so the id is {@link
 * Pidf#TUPLE_ID_PREFIX} followed by the resource with every byte of its UTF-8 form other than
 * {@code A-Z a-z 0-9 - .} written as {@code _} and two upper-case hex digits. The id is always a
 * valid NCName and maps back to exactly one resource.
 */
final class TupleIds {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private TupleIds() {}

  /** The tuple id of a resource; {@code ID-} alone for none. */
  static String toTupleId(String resource) {
    if (resource == null) {
      return Pidf.TUPLE_ID_PREFIX;
    }
    StringBuilder id = null;
    for (int i = 0; i < resource.length(); i++) {
      if (!isKept(resource.charAt(i))) {
        id = new StringBuilder(Pidf.TUPLE_ID_PREFIX.length() + resource.length() * 3);
        id.append(Pidf.TUPLE_ID_PREFIX).append(resource, 0, i);
        for (byte b : resource.substring(i).getBytes(StandardCharsets.UTF_8)) {
          if (b >= 0 && isKept((char) b)) {
            id.append((char) b);
          } else {
            id.append('_').append(HEX[b >> 4 & 0xF]).append(HEX[b & 0xF]);
          }
        }
        break;
      }
    }
    return id == null ? Pidf.TUPLE_ID_PREFIX + resource : id.toString();
  }

  /**
   * The resource a tuple id names: decoded if it is in the form {@link #toTupleId} writes, else the
   * id itself (a tuple id from another implementation), {@code null} for {@code ID-} or no id.
   */
  static String toResource(String tupleId) {
    if (tupleId == null || tupleId.equals(Pidf.TUPLE_ID_PREFIX)) {
      return null;
    }
    if (!tupleId.startsWith(Pidf.TUPLE_ID_PREFIX)) {
      return tupleId;
    }
    int start = Pidf.TUPLE_ID_PREFIX.length();
    if (tupleId.indexOf('_', start) < 0) {
      return allKept(tupleId, start) ? tupleId.substring(start) : tupleId;
    }
    byte[] bytes = new byte[tupleId.length() - start];
    int n = 0;
    for (int i = start; i < tupleId.length(); i++) {
      char c = tupleId.charAt(i);
      if (c == '_') {
        int hi = i + 1 < tupleId.length() ? hex(tupleId.charAt(i + 1)) : -1;
        int lo = i + 2 < tupleId.length() ? hex(tupleId.charAt(i + 2)) : -1;
        if (hi < 0 || lo < 0) {
          return tupleId;
        }
        int b = hi << 4 | lo;
        if (b < 0x80 && isKept((char) b)) {
          return tupleId; // toTupleId never escapes these: not one of our ids
        }
        bytes[n++] = (byte) b;
        i += 2;
      } else if (isKept(c)) {
        bytes[n++] = (byte) c;
      } else {
        return tupleId;
      }
    }
    try {
      // A fresh decoder reports malformed input instead of replacing it.
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, 0, n)).toString();
    } catch (CharacterCodingException e) {
      return tupleId;
    }
  }

  private static boolean allKept(String text, int from) {
    for (int i = from; i < text.length(); i++) {
      if (!isKept(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isKept(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.';
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
