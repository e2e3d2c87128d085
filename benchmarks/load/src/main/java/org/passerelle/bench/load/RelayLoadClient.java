package org.passerelle.bench.load;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * One connection from a simulated remote domain to the first bare relay: TLS from the first byte (a
 * relay that parses nothing cannot negotiate STARTTLS or dialback), then the same {@code
 * <message/>} bytes as an S2S stream to the proxy carries, written by a {@link StanzaWriter}.
 */
final class RelayLoadClient {
  /** As the S2S streams': above this many bytes waiting, an open-loop sender sheds. */
  private final Channel channel;

  private final StanzaWriter writer;

  private RelayLoadClient(Channel channel, StanzaWriter writer) {
    this.channel = channel;
    this.writer = writer;
  }

  /** Connects to the first relay; completes once the TLS handshake is done. */
  static CompletableFuture<RelayLoadClient> connect(
      EventLoopGroup group, SslContext tls, String domain, int users, int recipients) {
    InetSocketAddress relay = Topology.relay(Topology.RELAY_1);
    SslHandler handshake =
        tls.newHandler(ByteBufAllocator.DEFAULT, relay.getHostString(), relay.getPort());
    Channel channel =
        LoadConnections.bootstrap(
                group,
                ch -> {
                  ch.pipeline().addLast("tls", handshake);
                  ch.pipeline().addLast("discard", new Discard());
                })
            .connect(relay, new InetSocketAddress(Topology.RELAY_CLIENT, 0))
            .channel();
    CompletableFuture<RelayLoadClient> open = new CompletableFuture<>();
    RelayLoadClient client =
        new RelayLoadClient(channel, new StanzaWriter(channel, domain, users, recipients));
    handshake
        .handshakeFuture()
        .addListener(
            f -> {
              if (f.isSuccess()) {
                open.complete(client);
              } else {
                open.completeExceptionally(f.cause());
              }
            });
    return open;
  }

  /** See {@link StanzaWriter#send}. */
  void send(DeliveryLedger ledger, long firstSeq, int count, long firstStamp, long step) {
    writer.send(ledger, firstSeq, count, firstStamp, step);
  }

  void close() {
    channel.close();
  }

  /** The relay sends nothing back. */
  private static final class Discard extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
