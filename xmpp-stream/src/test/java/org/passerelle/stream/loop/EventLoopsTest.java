package org.passerelle.stream.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Real loops on loopback: what a coalescing loop does with input that trickles in. */
class EventLoopsTest {
  private static final int CHUNKS = 5;

  @Test
  void inputTricklingInWithinTheIntervalIsReadInAtMostTwoWakeUps() throws Exception {
    NioEventLoopGroup server = EventLoops.nio(1, "test-io", Duration.ofSeconds(1));
    NioEventLoopGroup client = EventLoops.nio(1, "test-client", Duration.ZERO);
    AtomicInteger readBatches = new AtomicInteger();
    AtomicInteger bytes = new AtomicInteger();
    CountDownLatch all = new CountDownLatch(1);
    try {
      Channel listener =
          new ServerBootstrap()
              .group(server)
              .channel(NioServerSocketChannel.class)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ch.pipeline().addLast(counting(readBatches, bytes, all));
                    }
                  })
              .bind(new InetSocketAddress("127.0.0.1", 0))
              .sync()
              .channel();
      Channel sender =
          new Bootstrap()
              .group(client)
              .channel(NioSocketChannel.class)
              .handler(new ChannelInboundHandlerAdapter())
              .connect(listener.localAddress())
              .sync()
              .channel();
      // Let the server's loop finish accepting, so that the chunks find it idle.
      Thread.sleep(1_500);
      for (int i = 0; i < CHUNKS; i++) {
        sender.writeAndFlush(Unpooled.copiedBuffer("abcd", StandardCharsets.US_ASCII)).sync();
        Thread.sleep(40);
      }

      assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(bytes.get()).isEqualTo(CHUNKS * 4);
      // Five chunks 40 ms apart: five wake-ups at every event; here the first, then the rest of
      // them together once the interval has passed (two, if an interval ended in between).
      assertThat(readBatches.get()).isBetween(1, 2);
      sender.close().sync();
      listener.close().sync();
    } finally {
      server.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      client.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void theLoopsCarryTheirName() throws Exception {
    NioEventLoopGroup group = EventLoops.nio(1, "named-io", Duration.ofMillis(1));
    try {
      String name = group.submit(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
      assertThat(name).startsWith("named-io-");
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private static ChannelInboundHandlerAdapter counting(
      AtomicInteger readBatches, AtomicInteger bytes, CountDownLatch all) {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        int n = buf.readableBytes();
        bytes.addAndGet(n);
        buf.release();
      }

      @Override
      public void channelReadComplete(ChannelHandlerContext ctx) {
        readBatches.incrementAndGet();
        if (bytes.get() == CHUNKS * 4) {
          all.countDown();
        }
      }
    };
  }
}
