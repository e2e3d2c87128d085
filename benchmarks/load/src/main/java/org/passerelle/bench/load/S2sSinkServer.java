package org.passerelle.bench.load;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.dom4j.Element;
import org.passerelle.model.Namespaces;
import org.passerelle.stream.StreamEnd;
import org.passerelle.stream.StreamHeader;
import org.passerelle.stream.StreamLimits;
import org.passerelle.stream.XmlStreamDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated remote domains' server, where the proxy's partner addresses point: it answers the
 * proxy's dialback verifications for the streams {@link S2sLoadClient} opened (XEP-0220 §2.2.2),
 * and receives what the proxy sends the remote domains — load messages of the SIP→XMPP path and
 * presence updates of the NOTIFY storm (recorded in the current {@link DeliveryLedger}), bounces of
 * the XMPP→SIP path, and the presence set-up's requests and answers (told to {@link
 * PresenceRequests}).
 */
public final class S2sSinkServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(S2sSinkServer.class);

  private final Channel listener;
  private final AtomicReference<DeliveryLedger> ledger;
  private final PresenceRequests presence;
  private final AtomicLong streamIds = new AtomicLong();

  private S2sSinkServer(
      EventLoopGroup group,
      SslContext tls,
      DialbackKeys keys,
      AtomicReference<DeliveryLedger> ledger,
      PresenceRequests presence)
      throws InterruptedException {
    this.ledger = ledger;
    this.presence = presence;
    this.listener =
        LoadConnections.server(
                group,
                ch -> {
                  XmlStreamDecoder decoder = new XmlStreamDecoder(StreamLimits.DEFAULTS);
                  ch.pipeline().addLast("xml", decoder);
                  ch.pipeline().addLast("s2s", new Handler(decoder, tls, keys));
                })
            .bind(Topology.remoteServer())
            .sync()
            .channel();
  }

  /** What the remote users do with presence stanzas that are no load (the set-up's). */
  interface PresenceRequests {
    /** A {@code <presence/>} of type {@code subscribe}, {@code subscribed}, {@code probe}… */
    void onPresence(String type, String from, String to);
  }

  /**
   * @param ledger where messages and presence updates that arrive are recorded; swapped between
   *     phases
   * @param presence told of presence stanzas with a type other than {@code unavailable} or {@code
   *     error}
   */
  static S2sSinkServer start(
      EventLoopGroup group,
      SslContext tls,
      DialbackKeys keys,
      AtomicReference<DeliveryLedger> ledger,
      PresenceRequests presence)
      throws InterruptedException {
    return new S2sSinkServer(group, tls, keys, ledger, presence);
  }

  @Override
  public void close() {
    listener.close().syncUninterruptibly();
  }

  private final class Handler extends ChannelInboundHandlerAdapter {
    private final XmlStreamDecoder decoder;
    private final SslContext tls;
    private final DialbackKeys keys;
    private ServerState state = ServerState.AWAITING_HEADER;
    private String localDomain;
    private String peerDomain;

    Handler(XmlStreamDecoder decoder, SslContext tls, DialbackKeys keys) {
      this.decoder = decoder;
      this.tls = tls;
      this.keys = keys;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Element element) {
        onElement(ctx, element);
      } else if (msg instanceof StreamHeader header) {
        onHeader(ctx, header);
      } else if (msg instanceof StreamEnd) {
        ctx.writeAndFlush(ByteBufUtil.writeUtf8(ctx.alloc(), "</stream:stream>"));
        ctx.close();
      }
    }

    private void onHeader(ChannelHandlerContext ctx, StreamHeader header) {
      localDomain = header.to();
      peerDomain = header.from();
      StreamHeader answer =
          new StreamHeader(
              Namespaces.SERVER,
              peerDomain,
              localDomain,
              "sim-" + streamIds.incrementAndGet(),
              StreamHeader.VERSION_1_0,
              null,
              true);
      String features;
      if (state == ServerState.AWAITING_HEADER) {
        state = state.to(ServerState.AWAITING_STARTTLS);
        features =
            "<stream:features><starttls xmlns='" + Namespaces.TLS + "'><required/></starttls>";
      } else {
        state = state.to(ServerState.OPEN);
        features = "<stream:features><dialback xmlns='" + Namespaces.DIALBACK_FEATURE + "'/>";
      }
      ctx.writeAndFlush(
          ByteBufUtil.writeUtf8(ctx.alloc(), answer.toXml() + features + "</stream:features>"));
    }

    private void onElement(ChannelHandlerContext ctx, Element element) {
      String name = element.getName();
      String namespace = element.getNamespaceURI();
      if (state == ServerState.AWAITING_STARTTLS && "starttls".equals(name)) {
        // The SslHandler goes in before <proceed/> is written; startTls lets that one write out.
        SslHandler ssl = new SslHandler(tls.newEngine(ctx.alloc()), true);
        ctx.pipeline().addFirst("tls", ssl);
        decoder.restart();
        state = state.to(ServerState.TLS_HANDSHAKE);
        ctx.writeAndFlush(
            ByteBufUtil.writeUtf8(ctx.alloc(), "<proceed xmlns='" + Namespaces.TLS + "'/>"));
        return;
      }
      if (state != ServerState.OPEN) {
        LOG.warn("unexpected {} in {}", name, state);
        ctx.close();
        return;
      }
      if (Namespaces.SERVER.equals(namespace)) {
        onStanza(element);
      } else if (Namespaces.DIALBACK.equals(namespace) && "verify".equals(name)) {
        // XEP-0220 §2.2.2: the proxy asks whether our outgoing stream sent this key.
        String from = element.attributeValue("from");
        String to = element.attributeValue("to");
        String id = element.attributeValue("id");
        boolean valid = keys.verify(to, from, id, element.getTextTrim());
        ctx.writeAndFlush(
            ByteBufUtil.writeUtf8(
                ctx.alloc(),
                "<db:verify from='"
                    + to
                    + "' to='"
                    + from
                    + "' id='"
                    + id
                    + "' type='"
                    + (valid ? "valid" : "invalid")
                    + "'/>"));
      } else if (Namespaces.DIALBACK.equals(namespace) && "result".equals(name)) {
        // The proxy authenticates its own stream to us. The simulator trusts it without calling
        // back: verifying would only add a stream that has nothing to do with the load.
        ctx.writeAndFlush(
            ByteBufUtil.writeUtf8(
                ctx.alloc(),
                "<db:result from='"
                    + element.attributeValue("to")
                    + "' to='"
                    + element.attributeValue("from")
                    + "' type='valid'/>"));
      } else {
        LOG.warn("ignoring {{}}{}", namespace, name);
      }
    }

    private void onStanza(Element stanza) {
      String type = stanza.attributeValue("type");
      boolean isPresence = "presence".equals(stanza.getName());
      if (isPresence && type != null && !"unavailable".equals(type) && !"error".equals(type)) {
        presence.onPresence(type, stanza.attributeValue("from"), stanza.attributeValue("to"));
        return;
      }
      DeliveryLedger current = ledger.get();
      if (current == null) {
        return;
      }
      if ("error".equals(type)) {
        current.bounce();
        return;
      }
      // A presence update carries the load stamp in its status, a message in its body.
      LoadBody.Parsed body = LoadBody.parse(stanza.elementText(isPresence ? "status" : "body"));
      if (body != null) {
        current.delivered(body, System.nanoTime());
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof SslHandshakeCompletionEvent done) {
        if (done.isSuccess()) {
          state = state.to(ServerState.AWAITING_SECURE_HEADER);
        } else {
          LOG.warn("TLS handshake with the proxy failed: {}", done.cause().toString());
          ctx.close();
        }
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.warn("stream from the proxy ({}→{}): {}", peerDomain, localDomain, cause.toString());
      ctx.close();
    }
  }
}
