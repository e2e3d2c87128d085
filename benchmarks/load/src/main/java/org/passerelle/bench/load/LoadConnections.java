package org.passerelle.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.passerelle.stream.StreamLimits;
import org.passerelle.stream.XmlStreamDecoder;

/** How every load client connects: NIO, no Nagle, and a send buffer bound before it sheds. */
final class LoadConnections {
  /** Beyond this much unsent, a connection is not writable and the sender sheds (bounded). */
  static final int HIGH_WATER = 32 * 1024 * 1024;

  private LoadConnections() {}

  static Bootstrap bootstrap(EventLoopGroup group, Consumer<SocketChannel> pipeline) {
    return new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(
            ChannelOption.WRITE_BUFFER_WATER_MARK,
            new WriteBufferWaterMark(HIGH_WATER / 2, HIGH_WATER))
        .handler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                pipeline.accept(ch);
              }
            });
  }

  /** How the tool's sinks and peers listen: NIO, no Nagle on the accepted connections. */
  static ServerBootstrap server(EventLoopGroup group, Consumer<SocketChannel> pipeline) {
    return new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                pipeline.accept(ch);
              }
            });
  }

  /**
   * Connects an XMPP client stream (c2s or s2s) whose {@code handler} reads what the stream's
   * decoder parses; a connection that cannot be made fails {@code open}.
   *
   * @param local the address to connect from, or {@code null} for any
   * @return the channel, connecting
   */
  static Channel connectXmlStream(
      EventLoopGroup group,
      Function<XmlStreamDecoder, ChannelHandler> handler,
      InetSocketAddress remote,
      InetSocketAddress local,
      CompletableFuture<?> open) {
    ChannelFuture connect =
        bootstrap(
                group,
                ch -> {
                  XmlStreamDecoder decoder = new XmlStreamDecoder(StreamLimits.DEFAULTS);
                  ch.pipeline().addLast("xml", decoder);
                  ch.pipeline().addLast("stream", handler.apply(decoder));
                })
            .connect(remote, local);
    connect.addListener(
        f -> {
          if (!f.isSuccess()) {
            open.completeExceptionally(f.cause());
          }
        });
    return connect.channel();
  }

  /** Ends an XMPP stream (RFC 6120 §4.4) and closes its connection, if still open. */
  static void closeXmlStream(Channel channel) {
    if (channel != null && channel.isActive()) {
      channel.writeAndFlush(ByteBufUtil.writeUtf8(channel.alloc(), "</stream:stream>"));
      channel.close();
    }
  }
}
