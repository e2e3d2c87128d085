package org.passerelle.proxy.s2s;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.time.Duration;
import org.passerelle.stream.loop.EventLoops;
import org.passerelle.stream.loop.LoopPasses;

/**
 * The event loops and socket channel types every connection of the proxy uses, and the loops'
 * passes for the metrics.
 */
public record Transport(
    EventLoopGroup group,
    Class<? extends SocketChannel> socketChannel,
    Class<? extends ServerSocketChannel> serverChannel,
    LoopPasses passes) {

  /** NIO with the given number of event loop threads, which handle every event as it comes. */
  public static Transport nio(int threads) {
    return nio(threads, Duration.ZERO);
  }

  /** NIO with the given number of event loop threads, wake-ups coalesced as {@code io.coalesce}. */
  public static Transport nio(int threads, Duration coalesce) {
    LoopPasses passes = new LoopPasses();
    return new Transport(
        EventLoops.nio(threads, "proxy-io", coalesce, passes),
        NioSocketChannel.class,
        NioServerSocketChannel.class,
        passes);
  }
}
