package org.passerelle.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Splits a SIP stream (TCP) into {@link SipFrame}s: headers up to the empty line, then {@code
 * Content-Length} bytes of body (RFC 3261 §18.3, where Content-Length is mandatory on streams).
 * Keep-alive CRLFs between messages (RFC 5626 §3.5.1) are skipped.
 */
final class SipFrameDecoder extends ByteToMessageDecoder {
  /** Far above anything the load sends; a longer header block is a broken peer. */
  private static final int MAX_HEADER_BYTES = 16 * 1024;

  private static final int MAX_BODY_BYTES = 64 * 1024;

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.isReadable()
        && (in.getByte(in.readerIndex()) == '\r' || in.getByte(in.readerIndex()) == '\n')) {
      in.skipBytes(1);
    }
    int start = in.readerIndex();
    int end = indexOfBlankLine(in, start);
    if (end < 0) {
      if (in.readableBytes() > MAX_HEADER_BYTES) {
        throw new TooLongFrameException("SIP header block over " + MAX_HEADER_BYTES + " bytes");
      }
      return;
    }
    String head = in.toString(start, end - start, StandardCharsets.UTF_8);
    int firstLineEnd = head.indexOf("\r\n");
    String startLine = firstLineEnd < 0 ? head : head.substring(0, firstLineEnd);
    String headers = firstLineEnd < 0 ? "" : head.substring(firstLineEnd + 2);
    SipFrame partial = new SipFrame(startLine, headers, "");
    String length = partial.header("Content-Length", "l");
    int bodyLength = length == null ? 0 : Integer.parseInt(length.trim());
    if (bodyLength < 0 || bodyLength > MAX_BODY_BYTES) {
      throw new TooLongFrameException("SIP body of " + bodyLength + " bytes");
    }
    int bodyStart = end + 4;
    if (in.writerIndex() - bodyStart < bodyLength) {
      return;
    }
    String body = in.toString(bodyStart, bodyLength, StandardCharsets.UTF_8);
    in.readerIndex(bodyStart + bodyLength);
    out.add(new SipFrame(startLine, headers, body));
  }

  private static int indexOfBlankLine(ByteBuf in, int from) {
    int limit = in.writerIndex() - 3;
    for (int i = from; i < limit; i++) {
      if (in.getByte(i) == '\r'
          && in.getByte(i + 1) == '\n'
          && in.getByte(i + 2) == '\r'
          && in.getByte(i + 3) == '\n') {
        return i;
      }
    }
    return -1;
  }
}
