package org.passerelle.gateway.sip.stream;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * The gateway's own SIP listener over TCP or TLS, on Netty (decision 17): frames the requests that
 * arrive ({@link SipStreamDecoder}), answers keep-alive pings, and hands each request with the
 * connection it came on to {@link Requests}, which answers on that connection. It leaves the
 * message model to its caller, as {@link SipStreams} does.
 *
 * <p>A response that arrives here matches nothing: the gateway's requests leave on connections it
 * opened, where their responses come back (RFC 3261 §18.2.2). It is logged and discarded, as a UA
 * core discards a stray response (§18.1.2).
 */
public final class SipStreamServer implements AutoCloseable {

  /** What the listener does with the requests it frames. Called on the connection's event loop. */
  @FunctionalInterface
  public interface Requests {
    /**
     * @param head what the framing read of the request
     * @param bytes the whole request
     */
    void onRequest(StreamPeer peer, SipHead head, byte[] bytes);
  }

  /** Whether a TLS client must, may or must not present a certificate. */
  public enum ClientAuth {
    NONE,
    WANT,
    NEED
  }

  /**
   * @param context the server's key and the client certificates it trusts
   * @param protocols the TLS versions enabled
   */
  public record Tls(SSLContext context, List<String> protocols, ClientAuth clientAuth) {
    public Tls {
      Objects.requireNonNull(context, "context");
      protocols = List.copyOf(protocols);
      Objects.requireNonNull(clientAuth, "clientAuth");
    }
  }

  /**
   * @param address where to listen
   * @param tls TLS for every connection, or plain TCP
   * @param maxMessageBytes the largest request read; a larger one closes its connection
   * @param idleTimeout how long a connection that carries nothing stays open
   * @param maxConnections connections beyond this many are closed as they arrive
   */
  public record Settings(
      InetSocketAddress address,
      Optional<Tls> tls,
      int maxMessageBytes,
      Duration idleTimeout,
      int maxConnections) {
    public Settings {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(tls, "tls");
      if (maxMessageBytes < 1024) {
        throw new IllegalArgumentException("maxMessageBytes below 1024");
      }
      if (idleTimeout.isNegative() || idleTimeout.isZero()) {
        throw new IllegalArgumentException("idleTimeout must be positive");
      }
      if (maxConnections < 1) {
        throw new IllegalArgumentException("maxConnections must be positive");
      }
    }
  }

  private final Settings settings;
  private final Requests requests;
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final AtomicInteger open = new AtomicInteger();
  private volatile Channel listening;

  private SipStreamServer(Settings settings, Requests requests) {
    this.settings = settings;
    this.requests = requests;
  }

  /**
   * Listens on {@code settings.address()}, with connections on {@code group}'s event loops.
   *
   * @throws IOException if the address cannot be bound
   */
  public static SipStreamServer bind(EventLoopGroup group, Settings settings, Requests requests)
      throws IOException {
    Objects.requireNonNull(group, "group");
    SipStreamServer server =
        new SipStreamServer(
            Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(requests, "r"));
    try {
      server.listening =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .option(ChannelOption.SO_REUSEADDR, true)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childHandler(server.new Initializer())
              .bind(settings.address())
              .syncUninterruptibly()
              .channel();
    } catch (Exception e) { // Netty rethrows the bind's BindException unchecked
      throw new IOException(
          "cannot listen on "
              + settings.address().getAddress().getHostAddress()
              + ":"
              + settings.address().getPort()
              + "/"
              + (settings.tls().isPresent() ? "tls" : "tcp")
              + ": "
              + e.getMessage(),
          e);
    }
    return server;
  }

  /** Where the listener listens. */
  public InetSocketAddress localAddress() {
    return (InetSocketAddress) listening.localAddress();
  }

  /** Connections open now. */
  public int connections() {
    return open.get();
  }

  /** Stops accepting connections; those open carry on until {@link #close}. */
  public void stopAccepting() {
    listening.close().syncUninterruptibly();
  }

  /**
   * Stops accepting, and closes every connection once what was written to it has left. Idempotent.
   */
  @Override
  public void close() {
    stopAccepting();
    connections.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
  }

  boolean admit(Channel channel) {
    if (open.incrementAndGet() > settings.maxConnections()) {
      open.decrementAndGet();
      return false;
    }
    connections.add(channel);
    return true;
  }

  void closed() {
    open.decrementAndGet();
  }

  int maxConnections() {
    return settings.maxConnections();
  }

  Requests requests() {
    return requests;
  }

  private final class Initializer extends ChannelInitializer<Channel> {
    @Override
    protected void initChannel(Channel channel) {
      ChannelPipeline pipeline = channel.pipeline();
      settings.tls().ifPresent(tls -> pipeline.addLast(new SslHandler(engine(tls))));
      // Responses written in one turn of the event loop leave in one flush.
      pipeline.addLast(new FlushConsolidationHandler(256, true));
      pipeline.addLast(
          new IdleStateHandler(0, 0, settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
      pipeline.addLast(new SipStreamDecoder(settings.maxMessageBytes()));
      pipeline.addLast(new InboundConnection(SipStreamServer.this, settings.tls().isPresent()));
    }
  }

  private static SSLEngine engine(Tls tls) {
    SSLEngine engine = tls.context().createSSLEngine();
    engine.setUseClientMode(false);
    engine.setEnabledProtocols(tls.protocols().toArray(String[]::new));
    switch (tls.clientAuth()) {
      case NEED -> engine.setNeedClientAuth(true);
      case WANT -> engine.setWantClientAuth(true);
      case NONE -> {}
    }
    return engine;
  }
}
