package org.passerelle.proxy.link;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLException;
import org.passerelle.proxy.s2s.Transport;
import org.passerelle.stream.NamespaceMapping;
import org.passerelle.stream.StreamLimits;
import org.passerelle.stream.XmlStreamDecoder;
import org.passerelle.stream.XmlStreamEncoder;
import org.passerelle.stream.pki.JdkSslContexts;
import org.passerelle.stream.pki.KeyMaterial;
import org.passerelle.stream.pki.TrustAnchors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts gateways on the link port. TLS from the first byte, and the gateway must present a
 * certificate from one of the link's trusted authorities: the link crosses from the DMZ into the
 * internal network, so both ends authenticate before any XML is read.
 */
public final class LinkServer {
  private static final Logger LOG = LoggerFactory.getLogger(LinkServer.class);
  private static final XmlStreamEncoder ENCODER = new XmlStreamEncoder(NamespaceMapping.LINK);

  private final LinkContext context;
  private final Transport transport;
  private final SslContext tls;
  private final InetSocketAddress listen;
  private final StreamLimits limits;
  private volatile Channel listener;

  LinkServer(
      LinkContext context,
      Transport transport,
      SslContext tls,
      InetSocketAddress listen,
      StreamLimits limits) {
    this.context = context;
    this.transport = transport;
    this.tls = tls;
    this.listen = listen;
    this.limits = limits;
  }

  /** TLS that requires the gateway's certificate, validated against the link's own trust. */
  static SslContext tls(KeyMaterial keys, TrustAnchors gateways) throws SSLException {
    return JdkSslContexts.server(
        keys, JdkSslContexts.trusting(gateways.certificates()), ClientAuth.REQUIRE);
  }

  InetSocketAddress start() throws InterruptedException {
    listener =
        new ServerBootstrap()
            .group(transport.group())
            .channel(transport.serverChannel())
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    channel
                        .pipeline()
                        .addLast("tls", tls.newHandler(channel.alloc()))
                        .addLast("flush", new FlushConsolidationHandler(256, true))
                        .addLast("decoder", new XmlStreamDecoder(limits, NamespaceMapping.LINK))
                        .addLast("encoder", ENCODER)
                        .addLast("link", new GatewayLinkHandler(context));
                  }
                })
            .bind(listen)
            .sync()
            .channel();
    InetSocketAddress bound = (InetSocketAddress) listener.localAddress();
    LOG.info("accepting gateways on {}", bound);
    return bound;
  }

  boolean isListening() {
    Channel channel = listener;
    return channel != null && channel.isActive();
  }

  void stop() {
    if (listener != null) {
      listener.close().syncUninterruptibly();
    }
  }
}
