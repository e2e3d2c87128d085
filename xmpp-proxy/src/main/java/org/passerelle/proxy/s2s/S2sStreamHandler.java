package org.passerelle.proxy.s2s;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dom4j.Element;
import org.passerelle.stream.StreamEnd;
import org.passerelle.stream.StreamErrorCondition;
import org.passerelle.stream.StreamErrors;
import org.passerelle.stream.StreamException;
import org.passerelle.stream.StreamHeader;
import org.passerelle.stream.XmlStreamDecoder;
import org.passerelle.stream.XmlStreamEncoder;
import org.passerelle.stream.pki.PeerCertificates;
import org.slf4j.Logger;

/**
 * What streams in both directions share: dispatching decoded input, stream errors, the clean close
 * of RFC 6120 §4.4, keepalives and the idle timeout.
 */
abstract class S2sStreamHandler extends ChannelInboundHandlerAdapter {
  /** RFC 6120 §4.4 asks to wait a "reasonable" time for the peer's closing tag. */
  private static final long CLOSE_GRACE_SECONDS = 5;

  protected final S2sContext context;
  protected final XmlStreamDecoder decoder;
  protected ChannelHandlerContext ctx;

  /** What observers see of this connection; set when it becomes active. */
  protected S2sStream stream;

  private boolean endSent;
  private boolean endReceived;
  private ScheduledFuture<?> establishTimer;

  S2sStreamHandler(S2sContext context, XmlStreamDecoder decoder) {
    this.context = context;
    this.decoder = decoder;
  }

  protected abstract Logger log();

  /** Who opened this connection. */
  protected abstract S2sStream.Direction direction();

  /** A short label for log lines: direction, domains, stream id. */
  protected abstract String label();

  protected abstract void onHeader(StreamHeader header) throws StreamException;

  protected abstract void onElement(Element element) throws StreamException;

  protected abstract void onTlsEstablished() throws StreamException;

  /** Whether the stream has reached the state where keepalives may be sent (§4.6.1). */
  protected abstract boolean isEstablished();

  /** Whether the peer's federation policy wants whitespace keepalives (§4.6.1). */
  protected abstract boolean keepalive();

  /** The peer ended the stream with an error (RFC 6120 §4.9); the stream closes next. */
  protected void onPeerStreamError(StreamErrorCondition condition, String text) {}

  /** The TLS handshake failed; the connection closes next. */
  protected void onTlsFailed(Throwable cause) {}

  /** The connection failed (reset, or a stream error we sent); it closes next. */
  protected void onConnectionFailed(String reason) {}

  /** Called once when the channel closes, whatever the reason. */
  protected abstract void onClosed();

  /** Whether a header has been written (a stream error needs one first, §4.9.1.2). */
  protected abstract boolean headerSent();

  /** Writes a header so that a stream error can follow it. */
  protected abstract void sendHeaderForError();

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    stream = new S2sStream(direction(), ctx.channel().remoteAddress(), Instant.now());
    context.events().streamOpened(stream);
    long millis = context.config().timeouts().establish().toMillis();
    establishTimer =
        ctx.executor()
            .schedule(
                () ->
                    streamError(
                        StreamErrorCondition.CONNECTION_TIMEOUT,
                        "stream not established within " + millis + " ms"),
                millis,
                TimeUnit.MILLISECONDS);
    super.channelActive(ctx);
  }

  protected final void cancelEstablishTimer() {
    if (establishTimer != null) {
      establishTimer.cancel(false);
    }
  }

  @Override
  public final void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof Element element) {
        if (StreamErrors.isStreamError(element)) {
          StreamErrorCondition condition = StreamErrors.conditionOf(element);
          String text = StreamErrors.textOf(element);
          log().info("{} peer sent stream error {}: {}", label(), condition.elementName(), text);
          endReceived = true;
          onPeerStreamError(condition, text == null ? "" : text);
          closeStream();
          return;
        }
        onElement(element);
      } else if (msg instanceof StreamHeader header) {
        onHeader(header);
      } else if (msg == StreamEnd.INSTANCE) {
        endReceived = true;
        log().debug("{} peer closed the stream", label());
        closeStream();
      }
    } catch (StreamException e) {
      streamError(e.condition(), e.text());
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof io.netty.handler.ssl.SslHandshakeCompletionEvent handshake) {
      if (handshake.isSuccess()) {
        try {
          onTlsEstablished();
        } catch (StreamException e) {
          streamError(e.condition(), e.text());
        }
      } else {
        log().info("{} TLS handshake failed: {}", label(), handshake.cause().toString());
        onTlsFailed(handshake.cause());
        ctx.close();
      }
    } else if (evt instanceof IdleStateEvent idle) {
      if (idle.state() == IdleState.WRITER_IDLE && isEstablished() && !endSent && keepalive()) {
        ctx.writeAndFlush(XmlStreamEncoder.KEEPALIVE);
      } else if (idle.state() == IdleState.ALL_IDLE) {
        log().info("{} idle, closing", label());
        closeStream();
      }
    } else {
      super.userEventTriggered(ctx, evt);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof StreamException e) {
      streamError(e.condition(), e.text());
    } else {
      log().info("{} connection failed: {}", label(), cause.toString());
      onConnectionFailed(cause.toString());
      ctx.close();
    }
  }

  @Override
  public final void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancelEstablishTimer();
    onClosed();
    if (stream != null) {
      stream.closed();
      context.events().streamClosed(stream);
    }
    super.channelInactive(ctx);
  }

  /** Ends the stream with an error (§4.9.1.1): header if needed, the error, the closing tag. */
  protected final void streamError(StreamErrorCondition condition, String text) {
    if (endSent || !ctx.channel().isActive()) {
      ctx.close();
      return;
    }
    log().info("{} stream error {}: {}", label(), condition.elementName(), text);
    context.events().streamErrorSent(ctx.channel().remoteAddress(), condition, text);
    onConnectionFailed("we sent stream error " + condition.elementName() + ": " + text);
    if (!headerSent()) {
      sendHeaderForError();
    }
    ctx.write(StreamErrors.element(condition, text));
    endSent = true;
    ctx.writeAndFlush(StreamEnd.INSTANCE).addListener(ChannelFutureListener.CLOSE);
  }

  /** Closes cleanly (§4.4): our closing tag, then wait briefly for the peer's. */
  protected final void closeStream() {
    if (!endSent && ctx.channel().isActive()) {
      endSent = true;
      ctx.writeAndFlush(StreamEnd.INSTANCE);
    }
    if (endReceived) {
      ctx.close();
    } else {
      ctx.executor().schedule(() -> ctx.close(), CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
    }
  }

  protected final SslHandler sslHandler() {
    return ctx.pipeline().get(SslHandler.class);
  }

  /** The peer's certificate chain, empty when it presented none. */
  protected final List<X509Certificate> peerCertificates() {
    SslHandler ssl = sslHandler();
    return ssl == null ? List.of() : PeerCertificates.of(ssl);
  }
}
