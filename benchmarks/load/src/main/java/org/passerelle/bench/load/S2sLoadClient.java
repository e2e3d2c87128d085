package org.passerelle.bench.load;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.dom4j.Element;
import org.passerelle.model.Namespaces;
import org.passerelle.stream.StreamEnd;
import org.passerelle.stream.StreamHeader;
import org.passerelle.stream.XmlStreamDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One S2S stream from a simulated remote domain to the proxy: STARTTLS, dialback, then one-to-one
 * {@code <message/>}s written by a {@link StanzaWriter}. Only the negotiation is parsed; nothing is
 * parsed per message.
 */
public final class S2sLoadClient {
  private static final Logger LOG = LoggerFactory.getLogger(S2sLoadClient.class);

  /** Above this many bytes waiting in the socket, an open-loop sender sheds instead of queueing. */
  private final String domain;

  private final CompletableFuture<S2sLoadClient> open = new CompletableFuture<>();
  private Channel channel;
  private StanzaWriter writer;

  private S2sLoadClient(String domain) {
    this.domain = domain;
  }

  /**
   * Opens and authenticates a stream from {@code domain} to the proxy.
   *
   * @param users distinct senders in {@code domain} ({@code u0..})
   * @param recipients distinct local recipients ({@code sink0..})
   */
  public static CompletableFuture<S2sLoadClient> connect(
      EventLoopGroup group,
      SslContext tls,
      DialbackKeys keys,
      String domain,
      int users,
      int recipients) {
    S2sLoadClient client = new S2sLoadClient(domain);
    client.channel =
        LoadConnections.connectXmlStream(
            group,
            decoder -> client.new Handler(decoder, tls, keys),
            Topology.proxyS2s(),
            new InetSocketAddress(Topology.REMOTE_CLIENT, 0),
            client.open);
    client.writer = new StanzaWriter(client.channel, domain, users, recipients);
    return client.open;
  }

  public String domain() {
    return domain;
  }

  /** See {@link StanzaWriter#send}. */
  public void send(DeliveryLedger ledger, long firstSeq, int count, long firstStamp, long step) {
    writer.send(ledger, firstSeq, count, firstStamp, step);
  }

  /**
   * See {@link StanzaWriter#send(DeliveryLedger, long, int, long, long, StanzaWriter.Template)}.
   */
  void send(
      DeliveryLedger ledger,
      long firstSeq,
      int count,
      long firstStamp,
      long step,
      StanzaWriter.Template template) {
    writer.send(ledger, firstSeq, count, firstStamp, step, template);
  }

  /** See {@link StanzaWriter#write}. */
  public void write(List<String> stanzas) {
    writer.write(stanzas);
  }

  public void close() {
    LoadConnections.closeXmlStream(channel);
  }

  /** Negotiation: header, STARTTLS, header again, dialback (see {@link ClientState}). */
  private final class Handler extends ChannelInboundHandlerAdapter {
    private final XmlStreamDecoder decoder;
    private final SslContext tls;
    private final DialbackKeys keys;
    private ClientState state = ClientState.CONNECTING;
    private String streamId;

    Handler(XmlStreamDecoder decoder, SslContext tls, DialbackKeys keys) {
      this.decoder = decoder;
      this.tls = tls;
      this.keys = keys;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      state = state.to(ClientState.AWAITING_HEADER);
      sendHeader(ctx);
    }

    private void sendHeader(ChannelHandlerContext ctx) {
      StreamHeader header =
          new StreamHeader(
              Namespaces.SERVER,
              Topology.ORG_DOMAIN,
              domain,
              null,
              StreamHeader.VERSION_1_0,
              null,
              true);
      ctx.writeAndFlush(ByteBufUtil.writeUtf8(ctx.alloc(), header.toXml()));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof StreamHeader header) {
        streamId = header.id();
        state =
            state.to(
                state == ClientState.AWAITING_HEADER
                    ? ClientState.AWAITING_FEATURES
                    : ClientState.AWAITING_SECURE_FEATURES);
      } else if (msg instanceof Element element) {
        onElement(ctx, element);
      } else if (msg instanceof StreamEnd) {
        fail(ctx, "the proxy closed the stream in " + state);
      }
    }

    private void onElement(ChannelHandlerContext ctx, Element element) {
      String name = element.getName();
      switch (state) {
        case AWAITING_FEATURES -> {
          state = state.to(ClientState.STARTTLS_SENT);
          ctx.writeAndFlush(
              ByteBufUtil.writeUtf8(ctx.alloc(), "<starttls xmlns='" + Namespaces.TLS + "'/>"));
        }
        case STARTTLS_SENT -> {
          if (!"proceed".equals(name)) {
            fail(ctx, "STARTTLS refused: " + element.asXML());
            return;
          }
          // RFC 6120 §5.4.3.3: the next bytes are the handshake, then a fresh stream.
          ctx.pipeline().addFirst("tls", tls.newHandler(ctx.alloc()));
          decoder.restart();
          state = state.to(ClientState.TLS_HANDSHAKE);
        }
        case AWAITING_SECURE_FEATURES -> {
          state = state.to(ClientState.DIALBACK_SENT);
          String key = keys.issue(domain, Topology.ORG_DOMAIN, streamId);
          ctx.writeAndFlush(
              ByteBufUtil.writeUtf8(
                  ctx.alloc(),
                  "<db:result from='"
                      + domain
                      + "' to='"
                      + Topology.ORG_DOMAIN
                      + "'>"
                      + key
                      + "</db:result>"));
        }
        case DIALBACK_SENT -> {
          if ("result".equals(name) && "valid".equals(element.attributeValue("type"))) {
            state = state.to(ClientState.OPEN);
            open.complete(S2sLoadClient.this);
          } else {
            fail(ctx, "dialback refused: " + element.asXML());
          }
        }
        default -> {
          if ("error".equals(name)) {
            fail(ctx, "stream error: " + element.asXML());
          }
          // Anything else on an open stream (none is expected) is ignored.
        }
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof SslHandshakeCompletionEvent done) {
        if (!done.isSuccess()) {
          fail(ctx, "TLS handshake failed: " + done.cause());
          return;
        }
        state = state.to(ClientState.AWAITING_SECURE_HEADER);
        sendHeader(ctx);
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (state != ClientState.OPEN) {
        open.completeExceptionally(
            new IllegalStateException(domain + ": stream closed in " + state));
      } else {
        LOG.info("{}: the proxy closed the stream", domain);
      }
      state = state.to(ClientState.CLOSED);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      fail(ctx, cause.toString());
    }

    private void fail(ChannelHandlerContext ctx, String why) {
      LOG.warn("{}: {}", domain, why);
      open.completeExceptionally(new IllegalStateException(domain + ": " + why));
      ctx.close();
    }
  }
}
