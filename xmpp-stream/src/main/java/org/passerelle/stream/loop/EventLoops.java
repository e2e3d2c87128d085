package org.passerelle.stream.loop;

import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;

/** The processes' NIO event loops, with their wake-ups coalesced as {@code io.coalesce} says. */
public final class EventLoops {
  private EventLoops() {}

  /**
   * {@code threads} NIO loops named {@code name-N}, which wake at most once per {@code coalesce}
   * while input trickles in (zero: at every event), and count their passes into {@code passes}.
   */
  public static NioEventLoopGroup nio(
      int threads, String name, Duration coalesce, LoopPasses passes) {
    return new NioEventLoopGroup(
        threads,
        new DefaultThreadFactory(name, false),
        SelectorProvider.provider(),
        CoalescingSelectStrategy.factory(coalesce.toNanos(), passes));
  }

  /** As {@link #nio(int, String, Duration, LoopPasses)}, uncounted. */
  public static NioEventLoopGroup nio(int threads, String name, Duration coalesce) {
    return nio(threads, name, coalesce, new LoopPasses());
  }
}
