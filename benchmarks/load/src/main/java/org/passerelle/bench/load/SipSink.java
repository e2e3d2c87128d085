package org.passerelle.bench.load;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP server the gateway sends through (its outbound proxy), reduced to a UAS that answers
 * every request 200 OK (RFC 3428 §7) over TCP and records each load MESSAGE's one-way latency from
 * the stamp in its body. Presence requests, and the responses to the presence load's own NOTIFYs,
 * go to {@link SipPresenceDialogs}.
 */
public final class SipSink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SipSink.class);

  private static final int HIGH_WATER = 32 * 1024 * 1024;

  private final Channel listener;

  private SipSink(
      EventLoopGroup group, AtomicReference<DeliveryLedger> ledger, SipPresenceDialogs presence)
      throws InterruptedException {
    listener =
        LoadConnections.server(
                group,
                ch -> {
                  ch.pipeline().addLast("sip", new SipFrameDecoder());
                  ch.pipeline().addLast("uas", new Handler(ledger, presence));
                })
            // The NOTIFY storm writes on the connection the gateway opened: the default 64 KiB
            // would make it shed at the first stall instead of queueing as the clients do.
            .childOption(
                ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(HIGH_WATER / 2, HIGH_WATER))
            .bind(Topology.sipSink())
            .sync()
            .channel();
  }

  /**
   * @param presence the SIP side of the presence load: takes SUBSCRIBEs, NOTIFYs and responses
   */
  static SipSink start(
      EventLoopGroup group, AtomicReference<DeliveryLedger> ledger, SipPresenceDialogs presence)
      throws InterruptedException {
    return new SipSink(group, ledger, presence);
  }

  @Override
  public void close() {
    listener.close().syncUninterruptibly();
  }

  private static final class Handler extends SimpleChannelInboundHandler<SipFrame> {
    private final AtomicReference<DeliveryLedger> ledger;
    private final SipPresenceDialogs presence;

    Handler(AtomicReference<DeliveryLedger> ledger, SipPresenceDialogs presence) {
      this.ledger = ledger;
      this.presence = presence;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, SipFrame frame) {
      long now = System.nanoTime();
      if (presence.onFrame(ctx, frame, now) || !frame.isRequest()) {
        return;
      }
      if ("MESSAGE".equals(frame.method())) {
        DeliveryLedger current = ledger.get();
        LoadBody.Parsed body = LoadBody.parse(frame.body());
        if (current != null && body != null) {
          current.delivered(body, now);
        }
      }
      ctx.write(ByteBufUtil.writeUtf8(ctx.alloc(), SipResponses.response(frame, 200, "OK")));
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.warn("SIP sink: {}", cause.toString());
      ctx.close();
    }
  }
}
