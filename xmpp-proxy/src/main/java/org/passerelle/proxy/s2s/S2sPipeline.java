package org.passerelle.proxy.s2s;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import org.passerelle.proxy.config.ProxyConfig;
import org.passerelle.proxy.dns.ConnectTarget;
import org.passerelle.stream.XmlStreamDecoder;
import org.passerelle.stream.XmlStreamEncoder;

/**
 * Assembles server-to-server pipelines, in both directions, in one place. Order, head first:
 *
 * <ol>
 *   <li>{@code tls}: added later, at the head, when STARTTLS succeeds (or at once for XEP-0368
 *       direct TLS), so that every byte below it is encrypted;
 *   <li>{@code flush}: coalesces flushes under load, one write system call for many stanzas;
 *   <li>{@code idle}: keepalive and inactivity timers (RFC 6120 §4.6);
 *   <li>{@code decoder} / {@code encoder}: the XML stream codec;
 *   <li>{@code gate} (inbound only): admits the connection within the connection limits; after the
 *       encoder, so that it can write a stream error, and before the stream handler, so that a
 *       refused connection never starts a stream;
 *   <li>{@code stream}: the protocol state machine.
 * </ol>
 */
final class S2sPipeline {
  static final String TLS = "tls";
  private static final XmlStreamEncoder ENCODER = new XmlStreamEncoder();

  private S2sPipeline() {}

  static void inbound(
      Channel channel,
      S2sContext context,
      DialbackVerifier verifier,
      StanzaSink sink,
      InboundGuards guards,
      InboundStreams streams) {
    XmlStreamDecoder decoder = new XmlStreamDecoder(context.config().limits());
    common(channel.pipeline(), context.config(), decoder)
        .addLast("gate", guards.connections())
        .addLast(
            "stream", new InboundStreamHandler(context, decoder, verifier, sink, guards, streams));
  }

  static OutboundStreamHandler outbound(
      Channel channel, S2sContext context, OutboundSession session, ConnectTarget target) {
    XmlStreamDecoder decoder = new XmlStreamDecoder(context.config().limits());
    OutboundStreamHandler handler = new OutboundStreamHandler(context, decoder, session, target);
    ChannelPipeline pipeline = common(channel.pipeline(), context.config(), decoder);
    pipeline.addLast("stream", handler);
    if (target.directTls()) {
      SslHandler ssl =
          context
              .clientTls()
              .newHandler(channel.alloc(), session.pair().remote(), target.address().getPort());
      pipeline.addFirst(TLS, ssl);
    }
    return handler;
  }

  private static ChannelPipeline common(
      ChannelPipeline pipeline, ProxyConfig config, XmlStreamDecoder decoder) {
    ProxyConfig.Timeouts timeouts = config.timeouts();
    return pipeline
        .addLast("flush", new FlushConsolidationHandler(256, true))
        .addLast(
            "idle",
            new IdleStateHandler(
                0,
                timeouts.keepalive().toMillis(),
                timeouts.idle().toMillis(),
                TimeUnit.MILLISECONDS))
        .addLast("decoder", decoder)
        .addLast("encoder", ENCODER);
  }
}
