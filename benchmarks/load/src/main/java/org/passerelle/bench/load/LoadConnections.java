package org.passerelle.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.function.Consumer;

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
}
