package org.passerelle.benchmarks.micro;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * The ends of a benchmark's pipeline: they take what a codec produced and keep it for the benchmark
 * to return, so nothing queues up in the channel and each invocation can check it got exactly one
 * result.
 */
final class Sinks {
  private Sinks() {}

  /** Keeps the last message that reached the end of the inbound pipeline. */
  static final class Inbound extends ChannelInboundHandlerAdapter {
    private Object last;
    private Throwable failure;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      last = msg;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      failure = cause;
    }

    /** The message read since the last call; fails if there was none. */
    Object take() {
      if (failure != null) {
        throw new IllegalStateException("the decoder failed", failure);
      }
      Object message = last;
      if (message == null) {
        throw new IllegalStateException("nothing was decoded");
      }
      last = null;
      return message;
    }
  }

  /** Counts and releases the bytes written, as a socket would take them. */
  static final class Outbound extends ChannelOutboundHandlerAdapter {
    private int written = -1;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      ByteBuf buf = (ByteBuf) msg;
      written = buf.readableBytes();
      buf.release();
      promise.trySuccess();
    }

    /** The size of the buffer written since the last call; fails if there was none. */
    int take() {
      int bytes = written;
      if (bytes < 0) {
        throw new IllegalStateException("nothing was encoded");
      }
      written = -1;
      return bytes;
    }
  }
}
