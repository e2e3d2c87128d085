package org.passerelle.gateway.sip.stream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.passerelle.gateway.sip.SipResponseInfo;
import org.passerelle.gateway.sip.SipSendException;

/**
 * The gateway's own SIP client transport over TCP and TLS, on Netty (decision 16): one {@link
 * SipConnection} per next hop, opened when first needed and closed when idle. It carries requests
 * whose responses end their transaction — today MESSAGE — and leaves the message model to its
 * caller: requests come encoded, responses go to {@link Responses}.
 *
 * <p>Thread-safe. Each connection lives on one event loop of the group given; a request sent from
 * that loop is written at once, without a hand-off.
 */
public final class SipStreams implements AutoCloseable {

  /** How the caller reads what the stream transport does not. Called on an event loop. */
  public interface Responses {
    /**
     * The final response to a request, from its head, and its bytes when {@link SipHead} does not
     * say enough: for every response outside 2xx.
     *
     * @param bytes the whole response, or {@code null} for a 2xx
     */
    SipResponseInfo read(SipHead head, byte[] bytes);

    /**
     * A request the next hop sent on a connection we opened; returns the bytes of its answer, or
     * {@code null} to send none.
     */
    byte[] answerRequest(String connection, byte[] request);
  }

  /**
   * @param bindAddress the local address of every connection, the one our Via advertises
   * @param tls the TLS context for {@code tls} targets, if TLS is configured
   * @param tlsProtocols the TLS versions enabled
   * @param transactionTimeout Timer F, 64 × T1 (RFC 3261 §17.1.2.2)
   * @param maxMessageBytes the largest response read; a larger one breaks its connection
   * @param idleTimeout how long a connection with nothing under way stays open
   * @param connectTimeout how long a connection may take to open before what waits on it fails
   */
  public record Settings(
      InetAddress bindAddress,
      Optional<SSLContext> tls,
      List<String> tlsProtocols,
      Duration transactionTimeout,
      int maxMessageBytes,
      Duration idleTimeout,
      Duration connectTimeout) {

    public Settings {
      Objects.requireNonNull(bindAddress, "bindAddress");
      Objects.requireNonNull(tls, "tls");
      tlsProtocols = List.copyOf(tlsProtocols);
      if (transactionTimeout.isNegative() || transactionTimeout.isZero()) {
        throw new IllegalArgumentException("transactionTimeout must be positive");
      }
      if (maxMessageBytes < 1024) {
        throw new IllegalArgumentException("maxMessageBytes below 1024");
      }
      if (idleTimeout.isNegative() || idleTimeout.isZero()) {
        throw new IllegalArgumentException("idleTimeout must be positive");
      }
      if (connectTimeout.isNegative() || connectTimeout.isZero()) {
        throw new IllegalArgumentException("connectTimeout must be positive");
      }
    }
  }

  /** One connection per next hop and transport. */
  record Key(InetSocketAddress address, boolean tls) {
    @Override
    public String toString() {
      return address.getAddress().getHostAddress()
          + ":"
          + address.getPort()
          + "/"
          + (tls ? "tls" : "tcp");
    }
  }

  private final EventLoopGroup group;
  private final Settings settings;
  private final Responses responses;
  private final ConcurrentHashMap<Key, SipConnection> connections = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param group NIO event loops, possibly shared with the caller's own channels; not shut down by
   *     {@link #close}
   */
  public SipStreams(EventLoopGroup group, Settings settings, Responses responses) {
    this.group = Objects.requireNonNull(group, "group");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.responses = Objects.requireNonNull(responses, "responses");
  }

  /**
   * Sends an encoded request to {@code target} and completes with its final response, or fails with
   * a {@link SipSendException}: {@code TRANSPORT} when the connection cannot be made or breaks
   * first, {@code TIMEOUT} after Timer F, {@code CLOSED} when this transport closes first.
   *
   * @param branch the branch of the request's top Via, unique among requests under way
   */
  public CompletableFuture<SipResponseInfo> send(
      InetSocketAddress target, boolean tls, String branch, String method, byte[] request) {
    CompletableFuture<SipResponseInfo> response = new CompletableFuture<>();
    if (tls && settings.tls().isEmpty()) {
      response.completeExceptionally(
          new SipSendException(SipSendException.Reason.TRANSPORT, "TLS is not configured"));
      return response;
    }
    long deadline = System.nanoTime() + settings.transactionTimeout().toNanos();
    resend(new OutgoingRequest(target, tls, branch, method, request, deadline, response));
    return response;
  }

  /** Offers {@code request} to the connection for its target, opening one if there is none. */
  void resend(OutgoingRequest request) {
    if (closed) {
      request
          .response()
          .completeExceptionally(
              new SipSendException(SipSendException.Reason.CLOSED, "the SIP endpoint is closed"));
      return;
    }
    Key key = new Key(request.target(), request.tls());
    connections.computeIfAbsent(key, k -> new SipConnection(this, k, group.next())).offer(request);
  }

  /** Connections open or opening. */
  public int connections() {
    return connections.size();
  }

  /** Closes every connection; what waits fails with {@code CLOSED}. Idempotent. */
  @Override
  public void close() {
    closed = true;
    for (SipConnection connection : List.copyOf(connections.values())) {
      connection.shutDownSoon();
    }
  }

  boolean isClosed() {
    return closed;
  }

  Responses responses() {
    return responses;
  }

  long timeoutMillis() {
    return settings.transactionTimeout().toMillis();
  }

  /** How often a connection looks for requests past Timer F: a small part of it, at most 1 s. */
  long timerFPeriodNanos() {
    long eighth = settings.transactionTimeout().toNanos() / 8;
    return Math.max(
        TimeUnit.MILLISECONDS.toNanos(10), Math.min(eighth, TimeUnit.SECONDS.toNanos(1)));
  }

  void forget(Key key, SipConnection connection) {
    connections.remove(key, connection);
  }

  ChannelFuture connect(Key key, EventLoop loop, SipConnection connection) {
    return new Bootstrap()
        .group(loop)
        .channel(NioSocketChannel.class)
        .option(
            ChannelOption.CONNECT_TIMEOUT_MILLIS,
            (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()))
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel channel) {
                ChannelPipeline pipeline = channel.pipeline();
                if (key.tls()) {
                  pipeline.addLast(new SslHandler(engine(key)));
                }
                // Requests written in one turn of the event loop leave in one flush.
                pipeline.addLast(new FlushConsolidationHandler(256, true));
                pipeline.addLast(
                    new IdleStateHandler(
                        0, 0, settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
                pipeline.addLast(new SipStreamDecoder(settings.maxMessageBytes()));
                pipeline.addLast(connection);
              }
            })
        .connect(key.address(), new InetSocketAddress(settings.bindAddress(), 0));
  }

  private SSLEngine engine(Key key) {
    SSLEngine engine =
        settings
            .tls()
            .orElseThrow()
            .createSSLEngine(key.address().getAddress().getHostAddress(), key.address().getPort());
    engine.setUseClientMode(true);
    engine.setEnabledProtocols(settings.tlsProtocols().toArray(String[]::new));
    return engine;
  }
}
