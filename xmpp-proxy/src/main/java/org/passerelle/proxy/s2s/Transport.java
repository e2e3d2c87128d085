package org.passerelle.proxy.s2s;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/** The event loops and socket channel types every connection of the proxy uses. */
public record Transport(
    EventLoopGroup group,
    Class<? extends SocketChannel> socketChannel,
    Class<? extends ServerSocketChannel> serverChannel) {

  /** NIO with the given number of event loop threads. */
  public static Transport nio(int threads) {
    return new Transport(
        new NioEventLoopGroup(threads), NioSocketChannel.class, NioServerSocketChannel.class);
  }
}
