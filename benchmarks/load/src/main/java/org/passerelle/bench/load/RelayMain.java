package org.passerelle.bench.load;

import com.sun.net.httpserver.HttpServer;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Queue;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code RelayMain <relay.properties>}: the bare relay of the floor measurement. It takes TLS
 * connections and forwards the decrypted bytes, unparsed, to the next hop (over mutual TLS or plain
 * TCP, see {@link RelayConfig}), one outbound connection per inbound one, on the inbound
 * connection's event loop: Netty NIO and the JDK's TLS, as Passerelle's proxy and gateway. It
 * flushes once per read batch ({@code channelReadComplete}), as a sensible relay does, and stops
 * reading while the next hop will not take more. {@code /health/ready} on its admin address answers
 * 200 once it listens.
 */
public final class RelayMain {
  private static final Logger LOG = LoggerFactory.getLogger(RelayMain.class);

  private final RelayConfig config;
  private final SslContext serverTls;
  private final SslContext clientTls;

  private RelayMain(RelayConfig config) throws SSLException {
    this.config = config;
    this.serverTls =
        SslContextBuilder.forServer(config.certificate().toFile(), config.privateKey().toFile())
            .sslProvider(SslProvider.JDK)
            .trustManager(config.trust().toFile())
            .clientAuth(config.requireClientCertificate() ? ClientAuth.REQUIRE : ClientAuth.NONE)
            .build();
    this.clientTls =
        config.forwardTls()
            ? SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .keyManager(config.certificate().toFile(), config.privateKey().toFile())
                .trustManager(config.trust().toFile())
                // The next relay is reached by address; its certificate names a domain.
                .endpointIdentificationAlgorithm(null)
                .build()
            : null;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: RelayMain <relay.properties>");
      System.exit(2);
    }
    new RelayMain(RelayConfig.read(Path.of(args[0]))).run();
  }

  private void run() throws Exception {
    EventLoopGroup boss = new NioEventLoopGroup(1);
    EventLoopGroup workers = new NioEventLoopGroup();
    Channel listener =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast("tls", serverTls.newHandler(ch.alloc()));
                    ch.pipeline().addLast("relay", new Inbound());
                  }
                })
            .bind(config.listen())
            .sync()
            .channel();
    HttpServer admin = HttpServer.create(config.admin(), 0);
    admin.createContext(
        "/health/ready",
        exchange -> {
          byte[] body = "ready\n".getBytes(StandardCharsets.US_ASCII);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    admin.start();
    LOG.info("relay listening on {}, forwarding to {}", config.listen(), config.forward());
    listener.closeFuture().sync();
  }

  /** One inbound connection and the outbound connection it gets. */
  private final class Inbound extends ChannelInboundHandlerAdapter {
    /** Bytes decrypted before the next hop was connected (loopback: well under a millisecond). */
    private final Queue<Object> early = new ArrayDeque<>();

    private Channel outbound;

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      Channel inbound = ctx.channel();
      ChannelFuture connect =
          new Bootstrap()
              .group(inbound.eventLoop())
              .channel(NioSocketChannel.class)
              .option(ChannelOption.TCP_NODELAY, true)
              .handler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      if (clientTls != null) {
                        ch.pipeline()
                            .addLast(
                                "tls",
                                clientTls.newHandler(
                                    ch.alloc(),
                                    config.forward().getHostString(),
                                    config.forward().getPort()));
                      }
                      ch.pipeline().addLast("relay", new Outbound(inbound));
                    }
                  })
              .connect(config.forward());
      outbound = connect.channel();
      connect.addListener(
          f -> {
            if (!f.isSuccess()) {
              LOG.warn("cannot reach {}: {}", config.forward(), f.cause().toString());
              inbound.close();
              return;
            }
            while (!early.isEmpty()) {
              outbound.write(early.poll());
            }
            outbound.flush();
          });
      ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (outbound.isActive()) {
        outbound.write(msg);
      } else if (outbound.isOpen()) {
        early.add(msg);
      } else {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (outbound.isActive()) {
        outbound.flush();
        if (!outbound.isWritable()) {
          ctx.channel().config().setAutoRead(false);
        }
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      early.forEach(ReferenceCountUtil::release);
      early.clear();
      if (outbound != null) {
        outbound.close();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.warn("inbound {}: {}", ctx.channel().remoteAddress(), cause.toString());
      ctx.close();
    }
  }

  /** The next hop: nothing is expected back; its writability gates the inbound reads. */
  private static final class Outbound extends ChannelInboundHandlerAdapter {
    private final Channel inbound;

    Outbound(Channel inbound) {
      this.inbound = inbound;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      inbound.config().setAutoRead(ctx.channel().isWritable());
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      inbound.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.warn("outbound: {}", cause.toString());
      ctx.close();
    }
  }
}
