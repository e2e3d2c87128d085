package org.passerelle.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP server forwarding local users' MESSAGEs to the gateway (RFC 3428), reduced to a UAC on
 * one TCP connection from the trusted source address ({@code sip.trusted-sources}). Requests are
 * written from a template; responses are only counted, a failure as a bounce.
 */
public final class SipLoadClient {
  private static final Logger LOG = LoggerFactory.getLogger(SipLoadClient.class);

  private final Channel channel;
  private final List<String> remoteDomains;
  private final int users;
  private final int senders;
  private final StringBuilder body = new StringBuilder(128);
  private final StringBuilder text = new StringBuilder(1024);
  private final AtomicLong accepted;

  private SipLoadClient(
      Channel channel, List<String> remoteDomains, int users, int senders, AtomicLong accepted) {
    this.channel = channel;
    this.accepted = accepted;
    this.remoteDomains = remoteDomains;
    this.users = users;
    this.senders = senders;
  }

  /**
   * @param users distinct XMPP recipients per remote domain
   * @param senders distinct local SIP senders
   */
  public static SipLoadClient connect(
      EventLoopGroup group,
      List<String> remoteDomains,
      int users,
      int senders,
      AtomicReference<DeliveryLedger> ledger)
      throws InterruptedException {
    AtomicLong accepted = new AtomicLong();
    Channel channel =
        LoadConnections.bootstrap(
                group,
                ch -> {
                  ch.pipeline().addLast("sip", new SipFrameDecoder());
                  ch.pipeline().addLast("uac", new Handler(ledger, accepted));
                })
            .connect(Topology.gatewaySip(), new InetSocketAddress(Topology.SIP_SERVER, 0))
            .sync()
            .channel();
    return new SipLoadClient(channel, remoteDomains, users, senders, accepted);
  }

  /** As {@link S2sLoadClient#send}: a batch of MESSAGEs, one flush, on the event loop. */
  public void send(DeliveryLedger ledger, long firstSeq, int count, long firstStamp, long step) {
    channel
        .eventLoop()
        .execute(
            () -> {
              if (!channel.isActive() || !channel.isWritable()) {
                ledger.shed(count);
                return;
              }
              for (int i = 0; i < count; i++) {
                channel.write(request(ledger.run(), firstSeq + i, firstStamp + i * step));
              }
              channel.flush();
            });
  }

  /** Writes requests that are no load (the presence set-up's SUBSCRIBEs), one flush. */
  void write(List<String> requests) {
    channel
        .eventLoop()
        .execute(
            () -> {
              for (String request : requests) {
                channel.write(ByteBufUtil.writeUtf8(channel.alloc(), request));
              }
              channel.flush();
            });
  }

  private ByteBuf request(int run, long seq, long stamp) {
    body.setLength(0);
    LoadBody.append(body, run, seq, stamp);
    String domain = remoteDomains.get((int) (seq % remoteDomains.size()));
    String to = "sip:u" + (seq % users) + '@' + domain;
    text.setLength(0);
    text.append("MESSAGE ")
        .append(to)
        .append(" SIP/2.0\r\nVia: SIP/2.0/TCP ")
        .append(Topology.SIP_SERVER)
        .append(':')
        .append(Topology.SIP_PORT)
        .append(";branch=z9hG4bK-")
        .append(run)
        .append('-')
        .append(seq)
        .append("\r\nMax-Forwards: 70\r\nFrom: <sip:sink")
        .append(seq % senders)
        .append('@')
        .append(Topology.ORG_DOMAIN)
        .append(">;tag=f")
        .append(seq)
        .append("\r\nTo: <")
        .append(to)
        .append(">\r\nCall-ID: load-")
        .append(run)
        .append('-')
        .append(seq)
        .append('@')
        .append(Topology.SIP_SERVER)
        .append("\r\nCSeq: 1 MESSAGE\r\nContent-Type: text/plain;charset=UTF-8\r\nContent-Length: ")
        .append(body.toString().getBytes(StandardCharsets.UTF_8).length)
        .append("\r\n\r\n")
        .append(body);
    return ByteBufUtil.writeUtf8(channel.alloc(), text);
  }

  /** Requests answered 2xx so far. */
  public long accepted() {
    return accepted.get();
  }

  public void close() {
    channel.close();
  }

  private static final class Handler extends SimpleChannelInboundHandler<SipFrame> {
    private final AtomicReference<DeliveryLedger> ledger;
    private final AtomicLong accepted;

    Handler(AtomicReference<DeliveryLedger> ledger, AtomicLong accepted) {
      this.ledger = ledger;
      this.accepted = accepted;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, SipFrame frame) {
      if (frame.isRequest()) {
        ctx.writeAndFlush(
            ByteBufUtil.writeUtf8(ctx.alloc(), SipResponses.response(frame, 200, "OK")));
        return;
      }
      int status = frame.status();
      if (status >= 200 && status < 300) {
        accepted.incrementAndGet();
      } else if (status >= 300) {
        DeliveryLedger current = ledger.get();
        if (current != null) {
          current.bounce();
        }
        LOG.debug("gateway answered {}", frame.startLine());
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.warn("SIP client: {}", cause.toString());
      ctx.close();
    }
  }
}
