package org.passerelle.proxy.s2s;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts server-to-server streams on the configured address (RFC 6120 §3.2: port 5269), within the
 * inbound limits of the configuration. A stopping proxy keeps listening while it drains, for
 * dialback verification only ({@link InboundStreams}).
 */
public final class S2sServer {
  private static final Logger LOG = LoggerFactory.getLogger(S2sServer.class);

  private final S2sContext context;
  private final DialbackVerifier verifier;
  private final StanzaSink sink;
  private final InboundGuards guards;
  private final InboundStreams streams = new InboundStreams();
  private volatile Channel listener;

  /**
   * @param bouncer answers stanzas refused on inbound streams (over the stanza rate)
   */
  public S2sServer(
      S2sContext context, DialbackVerifier verifier, StanzaSink sink, Bouncer bouncer) {
    this.context = context;
    this.verifier = verifier;
    this.sink = sink;
    this.guards = InboundGuards.of(context, bouncer);
  }

  /** Inbound connections open now. */
  public int connections() {
    return guards.connections().connections();
  }

  /** Binds the listening socket; returns once it accepts connections. */
  public InetSocketAddress start() throws InterruptedException {
    listener =
        new ServerBootstrap()
            .group(context.transport().group())
            .channel(context.transport().serverChannel())
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    S2sPipeline.inbound(channel, context, verifier, sink, guards, streams);
                  }
                })
            .bind(context.config().listen())
            .sync()
            .channel();
    InetSocketAddress bound = (InetSocketAddress) listener.localAddress();
    LOG.info("accepting server-to-server streams on {}", bound);
    return bound;
  }

  /** The streams remote servers opened to us. */
  public InboundStreams streams() {
    return streams;
  }

  /** Whether the listening socket accepts connections. */
  public boolean isListening() {
    Channel channel = listener;
    return channel != null && channel.isActive();
  }

  /** Stops accepting connections; streams already open are left to {@link InboundStreams}. */
  public void stop() {
    if (listener != null) {
      listener.close().syncUninterruptibly();
    }
  }
}
