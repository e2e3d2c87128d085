package org.passerelle.stream.loop;

import io.netty.channel.DefaultSelectStrategyFactory;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;

/** The processes' NIO event loops, with their wake-ups coalesced as {@code io.coalesce} says. */
public final class EventLoops {
  private EventLoops() {}

  /**
   * {@code threads} NIO loops named {@code name-N}, which wake at most once per {@code coalesce}
   * while input trickles in; zero: at every event.
   */
  public static NioEventLoopGroup nio(int threads, String name, Duration coalesce) {
    ThreadFactory names = new DefaultThreadFactory(name, false);
    return new NioEventLoopGroup(threads, names, SelectorProvider.provider(), strategy(coalesce));
  }

  static SelectStrategyFactory strategy(Duration coalesce) {
    if (coalesce.isNegative()) {
      throw new IllegalArgumentException("negative coalesce: " + coalesce);
    }
    return coalesce.isZero()
        ? DefaultSelectStrategyFactory.INSTANCE
        : CoalescingSelectStrategy.factory(coalesce.toNanos());
  }
}
