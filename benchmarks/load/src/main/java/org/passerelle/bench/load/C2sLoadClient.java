package org.passerelle.bench.load;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.dom4j.Element;
import org.passerelle.model.Namespaces;
import org.passerelle.stream.StreamEnd;
import org.passerelle.stream.StreamHeader;
import org.passerelle.stream.XmlStreamDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One XMPP client connection to a real server, as a load sender and receiver: STARTTLS, SASL PLAIN,
 * bind, initial presence, then one-to-one {@code <message/>}s written as bytes from a template, a
 * batch per flush, on the connection's event loop (as {@link S2sLoadClient} does on S2S). Messages
 * that arrive are recorded in the current ledger; error messages count as bounces.
 */
public final class C2sLoadClient {
  private static final Logger LOG = LoggerFactory.getLogger(C2sLoadClient.class);

  /** Above this many bytes waiting in the socket, an open-loop sender sheds instead of queueing. */
  private static final String BIND_ID = "bind1";

  private final String jid;
  private final String recipientDomain;
  private final int recipients;
  private final AtomicReference<DeliveryLedger> ledger;
  private final CompletableFuture<C2sLoadClient> open = new CompletableFuture<>();
  private Channel channel;
  private StanzaWriter writer;

  private C2sLoadClient(
      String jid, String recipientDomain, int recipients, AtomicReference<DeliveryLedger> ledger) {
    this.jid = jid;
    this.recipientDomain = recipientDomain;
    this.recipients = recipients;
    this.ledger = ledger;
  }

  /**
   * Logs {@code user@domain} in at {@code server}; completes once the server has its initial
   * presence.
   *
   * @param recipientDomain where {@link #send} addresses messages: {@code r0..r<recipients-1>}
   * @param ledger where arriving messages are recorded; swapped between phases
   */
  public static CompletableFuture<C2sLoadClient> connect(
      EventLoopGroup group,
      SslContext tls,
      InetSocketAddress server,
      String domain,
      String user,
      String password,
      String recipientDomain,
      int recipients,
      AtomicReference<DeliveryLedger> ledger) {
    C2sLoadClient client =
        new C2sLoadClient(user + "@" + domain, recipientDomain, recipients, ledger);
    client.channel =
        LoadConnections.connectXmlStream(
            group,
            decoder -> client.new Handler(decoder, tls, domain, user, password),
            server,
            null,
            client.open);
    client.writer = new StanzaWriter(client.channel, domain, 1, recipients);
    return client.open;
  }

  public String jid() {
    return jid;
  }

  /**
   * Writes {@code count} messages with sequence numbers from {@code firstSeq}, the i-th stamped
   * {@code firstStamp + i * stampStep}, then flushes once. Returns at once.
   */
  public void send(DeliveryLedger ledger, long firstSeq, int count, long firstStamp, long step) {
    writer.send(ledger, firstSeq, count, firstStamp, step, this::message);
  }

  /** A c2s message: the server fills in {@code from} (RFC 6120 §8.1.2.1). */
  private void message(StringBuilder out, String ignored, int run, long seq, long stamp) {
    out.append("<message to='r")
        .append(seq % recipients)
        .append('@')
        .append(recipientDomain)
        .append("' type='chat' id='m")
        .append(seq)
        .append("'><body>");
    LoadBody.append(out, run, seq, stamp);
    out.append("</body></message>");
  }

  public void close() {
    LoadConnections.closeXmlStream(channel);
  }

  private final class Handler extends ChannelInboundHandlerAdapter {
    private final XmlStreamDecoder decoder;
    private final SslContext tls;
    private final String domain;
    private final String user;
    private final String password;
    private C2sState state = C2sState.CONNECTING;

    Handler(XmlStreamDecoder decoder, SslContext tls, String domain, String user, String password) {
      this.decoder = decoder;
      this.tls = tls;
      this.domain = domain;
      this.user = user;
      this.password = password;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      state = state.to(C2sState.AWAITING_HEADER);
      sendHeader(ctx);
    }

    private void sendHeader(ChannelHandlerContext ctx) {
      StreamHeader header =
          new StreamHeader(
              Namespaces.CLIENT, domain, jid, null, StreamHeader.VERSION_1_0, null, false);
      write(ctx, header.toXml());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Element element) {
        onElement(ctx, element);
      } else if (msg instanceof StreamHeader) {
        state =
            state.to(
                switch (state) {
                  case AWAITING_HEADER -> C2sState.AWAITING_FEATURES;
                  case AWAITING_SECURE_HEADER -> C2sState.AWAITING_SASL_FEATURES;
                  default -> C2sState.AWAITING_BIND_FEATURES;
                });
      } else if (msg instanceof StreamEnd) {
        fail(ctx, "the server closed the stream in " + state);
      }
    }

    private void onElement(ChannelHandlerContext ctx, Element element) {
      String name = element.getName();
      switch (state) {
        case AWAITING_FEATURES -> {
          state = state.to(C2sState.STARTTLS_SENT);
          write(ctx, "<starttls xmlns='" + Namespaces.TLS + "'/>");
        }
        case STARTTLS_SENT -> {
          if (!"proceed".equals(name)) {
            fail(ctx, "STARTTLS refused: " + element.asXML());
            return;
          }
          // RFC 6120 §5.4.3.3: the next bytes are the handshake, then a fresh stream.
          ctx.pipeline().addFirst("tls", tls.newHandler(ctx.alloc()));
          decoder.restart();
          state = state.to(C2sState.TLS_HANDSHAKE);
        }
        case AWAITING_SASL_FEATURES -> {
          state = state.to(C2sState.AUTH_SENT);
          String credentials =
              Base64.getEncoder()
                  .encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
          write(
              ctx,
              "<auth xmlns='" + Namespaces.SASL + "' mechanism='PLAIN'>" + credentials + "</auth>");
        }
        case AUTH_SENT -> {
          if (!"success".equals(name)) {
            fail(ctx, "SASL PLAIN refused: " + element.asXML());
            return;
          }
          // §6.4.6: a new stream over the same TLS session.
          decoder.restart();
          state = state.to(C2sState.AWAITING_AUTHENTICATED_HEADER);
          sendHeader(ctx);
        }
        case AWAITING_BIND_FEATURES -> {
          state = state.to(C2sState.BIND_SENT);
          write(
              ctx,
              "<iq type='set' id='"
                  + BIND_ID
                  + "'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                  + "<resource>load</resource></bind></iq>");
        }
        case BIND_SENT -> {
          if (!"iq".equals(name)
              || !BIND_ID.equals(element.attributeValue("id"))
              || !"result".equals(element.attributeValue("type"))) {
            fail(ctx, "bind refused: " + element.asXML());
            return;
          }
          state = state.to(C2sState.PRESENCE_SENT);
          write(ctx, "<presence/>");
        }
        case PRESENCE_SENT -> {
          if ("presence".equals(name)) {
            state = state.to(C2sState.OPEN);
            open.complete(C2sLoadClient.this);
          }
        }
        case OPEN -> onStanza(element);
        default -> {
          if ("error".equals(name)) {
            fail(ctx, "stream error in " + state + ": " + element.asXML());
          }
        }
      }
    }

    private void onStanza(Element stanza) {
      if (!"message".equals(stanza.getName())) {
        return;
      }
      DeliveryLedger current = ledger.get();
      if (current == null) {
        return;
      }
      if ("error".equals(stanza.attributeValue("type"))) {
        current.bounce();
        return;
      }
      LoadBody.Parsed body = LoadBody.parse(stanza.elementText("body"));
      if (body != null) {
        current.delivered(body, System.nanoTime());
      }
    }

    private void write(ChannelHandlerContext ctx, String xml) {
      ctx.writeAndFlush(ByteBufUtil.writeUtf8(ctx.alloc(), xml));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof SslHandshakeCompletionEvent done) {
        if (!done.isSuccess()) {
          fail(ctx, "TLS handshake failed: " + done.cause());
          return;
        }
        state = state.to(C2sState.AWAITING_SECURE_HEADER);
        sendHeader(ctx);
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (state != C2sState.OPEN) {
        open.completeExceptionally(new IllegalStateException(jid + ": stream closed in " + state));
      } else {
        LOG.info("{}: the server closed the stream", jid);
      }
      state = state.to(C2sState.CLOSED);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      fail(ctx, cause.toString());
    }

    private void fail(ChannelHandlerContext ctx, String why) {
      LOG.warn("{}: {}", jid, why);
      open.completeExceptionally(new IllegalStateException(jid + ": " + why));
      ctx.close();
    }
  }
}
