package org.passerelle.bench.load;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The SIP side of the presence benchmark, stateless: answers every request 200 over TCP, and
 * follows each SUBSCRIBE with an {@code active} NOTIFY in its dialog (RFC 6665 §4.2.1.2), as a
 * presence server does. It counts what it answered, so that nothing per subscription is kept in the
 * measuring JVM's heap.
 */
final class PresencePeer implements AutoCloseable {

  static final String PIDF =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          + "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"pres:user@sip.bench\">"
          + "<tuple id=\"t1\"><status><basic>open</basic></status></tuple></presence>";

  private final Channel listener;
  private final InetSocketAddress address;
  final AtomicLong subscribes = new AtomicLong();
  final AtomicLong notifiesReceived = new AtomicLong();
  final AtomicLong notifyAnswers = new AtomicLong();
  private final AtomicLong cseq = new AtomicLong(1_000);
  private final AtomicLong branch = new AtomicLong();

  PresencePeer(EventLoopGroup group, InetSocketAddress address) throws InterruptedException {
    this.address = address;
    listener =
        LoadConnections.server(
                group,
                ch -> {
                  ch.pipeline().addLast("sip", new SipFrameDecoder());
                  ch.pipeline().addLast("uas", new Handler());
                })
            .bind(address)
            .sync()
            .channel();
  }

  /** A contact URI at this peer for the user {@code user}. */
  String target(String user) {
    return "sip:"
        + user
        + "@"
        + address.getAddress().getHostAddress()
        + ":"
        + address.getPort()
        + ";transport=tcp";
  }

  @Override
  public void close() {
    listener.close().syncUninterruptibly();
  }

  private final class Handler extends SimpleChannelInboundHandler<SipFrame> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, SipFrame frame) {
      if (!frame.isRequest()) {
        if (frame.status() >= 200) {
          notifyAnswers.incrementAndGet();
        }
        return;
      }
      String method = frame.method();
      if ("NOTIFY".equals(method)) {
        notifiesReceived.incrementAndGet();
      }
      String response = SipResponses.response(frame, 200, "OK");
      if ("SUBSCRIBE".equals(method)) {
        String given = frame.header("Expires", null);
        String expires = given == null ? "3600" : given;
        response =
            response.replace(
                "Content-Length: 0\r\n",
                "Expires: "
                    + expires
                    + "\r\nContact: <"
                    + target("presence")
                    + ">\r\nContent-Length: 0\r\n");
        ctx.write(ByteBufUtil.writeUtf8(ctx.alloc(), response));
        ctx.write(ByteBufUtil.writeUtf8(ctx.alloc(), notifyFor(frame, expires)));
        subscribes.incrementAndGet();
        return;
      }
      ctx.write(ByteBufUtil.writeUtf8(ctx.alloc(), response));
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** The NOTIFY in the SUBSCRIBE's dialog: its From and To swapped, to the subscriber's Contact. */
  private String notifyFor(SipFrame subscribe, String expires) {
    String contact = subscribe.header("Contact", "m");
    String uri = contact.substring(contact.indexOf('<') + 1, contact.indexOf('>'));
    String to = subscribe.header("To", "t");
    if (!to.contains(";tag=")) {
      to = to + ";tag=sink";
    }
    byte[] body = PIDF.getBytes(StandardCharsets.UTF_8);
    String state = "0".equals(expires) ? "terminated;reason=timeout" : "active;expires=" + expires;
    return "NOTIFY "
        + uri
        + " SIP/2.0\r\nVia: SIP/2.0/TCP "
        + address.getAddress().getHostAddress()
        + ":"
        + address.getPort()
        + ";branch=z9hG4bKpeer"
        + branch.incrementAndGet()
        + "\r\nMax-Forwards: 70\r\nFrom: "
        + to
        + "\r\nTo: "
        + subscribe.header("From", "f")
        + "\r\nCall-ID: "
        + subscribe.header("Call-ID", "i")
        + "\r\nCSeq: "
        + cseq.incrementAndGet()
        + " NOTIFY\r\nContact: <"
        + target("presence")
        + ">\r\nEvent: presence\r\nSubscription-State: "
        + state
        + "\r\nContent-Type: application/pidf+xml\r\nContent-Length: "
        + body.length
        + "\r\n\r\n"
        + PIDF;
  }
}
