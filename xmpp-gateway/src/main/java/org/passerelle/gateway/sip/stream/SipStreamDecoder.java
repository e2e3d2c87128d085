package org.passerelle.gateway.sip.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Frames SIP messages on a stream (RFC 3261 §18.3): a head up to the blank line, then {@code
 * Content-Length} bytes of body. A double CRLF between messages is a keep-alive ping (RFC 5626
 * §3.5.1) and comes out as {@link #PING}; a single CRLF is skipped.
 */
final class SipStreamDecoder extends ByteToMessageDecoder {

  /** A keep-alive ping, to be answered with {@link #pong} (RFC 5626 §4.4.1). */
  static final Object PING = new Object();

  private static final byte[] PONG = "\r\n".getBytes(StandardCharsets.US_ASCII);

  /** Answers a {@link #PING}: one CRLF. */
  static void pong(ChannelHandlerContext ctx) {
    ctx.writeAndFlush(Unpooled.wrappedBuffer(PONG), ctx.voidPromise());
  }

  private final int maxMessageBytes;

  /**
   * @param maxMessageBytes the largest message accepted, head and body; a larger one breaks the
   *     stream, since nothing after it can be framed without reading it all
   */
  SipStreamDecoder(int maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
      throws MalformedSipException {
    if (skipLineEnds(in, out)) {
      return;
    }
    int start = in.readerIndex();
    int blank = indexOfBlankLine(in, start);
    if (blank < 0) {
      if (in.readableBytes() > maxMessageBytes) {
        throw new TooLongFrameException("a SIP head over " + maxMessageBytes + " bytes");
      }
      return;
    }
    SipHead head = SipHead.parse(in.toString(start, blank - start, StandardCharsets.UTF_8));
    int bodyStart = blank + 4;
    long total = (long) bodyStart - start + head.contentLength();
    if (total > maxMessageBytes) {
      throw new TooLongFrameException(
          "a SIP message of " + total + " bytes, over " + maxMessageBytes);
    }
    if (in.writerIndex() < start + total) {
      return;
    }
    byte[] bytes = null;
    if (!StreamMessage.headSuffices(head)) {
      bytes = new byte[(int) total];
      in.getBytes(start, bytes);
    }
    in.readerIndex((int) (start + total));
    out.add(new StreamMessage(head, bytes));
  }

  /**
   * Consumes line ends before a message; a CRLF CRLF among them is a ping.
   *
   * @return whether nothing else can be read now
   */
  private static boolean skipLineEnds(ByteBuf in, List<Object> out) throws MalformedSipException {
    while (in.readableBytes() >= 2 && in.getByte(in.readerIndex()) == '\r') {
      if (in.getByte(in.readerIndex() + 1) != '\n') {
        throw new MalformedSipException("a CR without LF between messages");
      }
      if (in.readableBytes() >= 4
          && in.getByte(in.readerIndex() + 2) == '\r'
          && in.getByte(in.readerIndex() + 3) == '\n') {
        in.skipBytes(4);
        out.add(PING);
      } else {
        in.skipBytes(2);
      }
    }
    return !in.isReadable() || (in.readableBytes() == 1 && in.getByte(in.readerIndex()) == '\r');
  }

  private static int indexOfBlankLine(ByteBuf in, int from) {
    int limit = in.writerIndex() - 3;
    for (int i = in.indexOf(from, in.writerIndex(), (byte) '\r');
        i >= 0 && i < limit;
        i = in.indexOf(i + 1, in.writerIndex(), (byte) '\r')) {
      if (in.getByte(i + 1) == '\n' && in.getByte(i + 2) == '\r' && in.getByte(i + 3) == '\n') {
        return i;
      }
    }
    return -1;
  }
}
