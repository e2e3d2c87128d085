package org.passerelle.gateway.sip.stream;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One connection to the gateway's own SIP listener: its requests in, their responses out. */
final class InboundConnection extends SimpleChannelInboundHandler<Object> implements StreamPeer {

  private static final Logger log = LoggerFactory.getLogger(InboundConnection.class);

  private final SipStreamServer server;
  private final boolean tls;
  private volatile Channel channel;
  private volatile InetSocketAddress remote;
  private boolean admitted;
  private boolean failed;

  InboundConnection(SipStreamServer server, boolean tls) {
    this.server = server;
    this.tls = tls;
  }

  @Override
  public InetSocketAddress remote() {
    return remote;
  }

  @Override
  public boolean tls() {
    return tls;
  }

  @Override
  public void send(byte[] response) {
    Channel ch = channel;
    if (ch == null || !ch.isActive()) {
      log.info("SIP connection from {} closed before a response could be sent; dropped", this);
      return;
    }
    // A failed write closes the connection; the peer's transaction then times out or fails over.
    ch.writeAndFlush(Unpooled.wrappedBuffer(response), ch.voidPromise());
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    channel = ctx.channel();
    remote = (InetSocketAddress) ctx.channel().remoteAddress();
    admitted = server.admit(ctx.channel());
    if (!admitted) {
      log.warn(
          "SIP connection from {} refused: {} connections are open already",
          this,
          server.maxConnections());
      ctx.close();
      return;
    }
    log.debug("SIP connection from {} open", this);
    super.channelActive(ctx);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Object message) {
    if (message == SipStreamDecoder.PING) {
      SipStreamDecoder.pong(ctx);
      return;
    }
    StreamMessage received = (StreamMessage) message;
    SipHead head = received.head();
    if (!head.request()) {
      log.debug(
          "SIP connection from {}: a {} response matches nothing here, discarded",
          this,
          head.status());
      return;
    }
    try {
      server.requests().onRequest(this, head, received.bytes());
    } catch (RuntimeException e) {
      log.error("SIP connection from {}: a request failed", this, e);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof IdleStateEvent) {
      log.debug("SIP connection from {} idle, closing", this);
      ctx.close();
      return;
    }
    if (event instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
      failed = true;
      log.warn(
          "SIP connection from {}: TLS handshake failed: {}",
          this,
          RootCause.describe(handshake.cause()));
      ctx.close();
      return;
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!failed) {
      failed = true;
      // Framing cannot resume after a malformed head or an oversized message (RFC 3261 §18.3).
      log.warn(
          "SIP connection from {} closed: {}",
          this,
          cause instanceof DecoderException && cause.getCause() != null
              ? RootCause.describe(cause.getCause())
              : RootCause.describe(cause));
    }
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (admitted) {
      admitted = false;
      server.closed();
      log.debug("SIP connection from {} closed", this);
    }
    super.channelInactive(ctx);
  }

  @Override
  public String toString() {
    InetSocketAddress r = remote;
    return (r == null ? "?" : r.getAddress().getHostAddress() + ":" + r.getPort())
        + "/"
        + (tls ? "tls" : "tcp");
  }
}
