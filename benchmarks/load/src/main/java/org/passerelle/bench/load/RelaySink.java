package org.passerelle.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DelimiterBasedFrameDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of the relay chain, in the tool, where the SIP sink would be: plain TCP, message
 * boundaries found by scanning for {@code </message>} (the tool may look; the relays do not), each
 * body's stamp recorded in the ledger. It answers nothing, as a relay expects nothing back.
 */
final class RelaySink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RelaySink.class);
  private static final byte[] END = "</message>".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] BODY = "<body>".getBytes(StandardCharsets.US_ASCII);

  /** Far above the ~350-byte messages; a longer frame means the stream is corrupt. */
  private static final int MAX_MESSAGE = 4096;

  private final Channel listener;

  private RelaySink(Channel listener) {
    this.listener = listener;
  }

  static RelaySink start(EventLoopGroup group, AtomicReference<DeliveryLedger> ledger)
      throws InterruptedException {
    Channel listener =
        LoadConnections.server(
                group,
                ch -> {
                  ch.pipeline()
                      .addLast(
                          "frames",
                          new DelimiterBasedFrameDecoder(
                              MAX_MESSAGE, true, Unpooled.wrappedBuffer(END)));
                  ch.pipeline().addLast("sink", new Handler(ledger));
                })
            .bind(Topology.relaySink())
            .sync()
            .channel();
    return new RelaySink(listener);
  }

  /** The load body of one {@code <message/>} without its end tag; null if there is none. */
  static LoadBody.Parsed body(ByteBuf message) {
    int start = indexOf(message, BODY);
    if (start < 0) {
      return null;
    }
    int from = start + BODY.length;
    return LoadBody.parse(
        message.toString(from, message.writerIndex() - from, StandardCharsets.US_ASCII));
  }

  private static int indexOf(ByteBuf haystack, byte[] needle) {
    int end = haystack.writerIndex() - needle.length;
    for (int i = haystack.readerIndex(); i <= end; i++) {
      int j = 0;
      while (j < needle.length && haystack.getByte(i + j) == needle[j]) {
        j++;
      }
      if (j == needle.length) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public void close() {
    listener.close().syncUninterruptibly();
  }

  private static final class Handler extends SimpleChannelInboundHandler<ByteBuf> {
    private final AtomicReference<DeliveryLedger> ledger;

    Handler(AtomicReference<DeliveryLedger> ledger) {
      this.ledger = ledger;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf message) {
      long now = System.nanoTime();
      DeliveryLedger current = ledger.get();
      LoadBody.Parsed body = body(message);
      if (current != null && body != null) {
        current.delivered(body, now);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.warn("relay sink: {}", cause.toString());
      ctx.close();
    }
  }
}
