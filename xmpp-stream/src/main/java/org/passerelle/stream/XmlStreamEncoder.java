package org.passerelle.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.util.Objects;
import org.dom4j.Element;
import org.dom4j.Node;
import org.xmpp.packet.Packet;

/**
 * Writes stream headers, elements (dom4j nodes or Tinder packets; elements through {@link
 * StanzaWriter}), whitespace keepalives and the stream end as UTF-8 bytes. Stateless, so one
 * instance serves every channel of a kind: with {@link NamespaceMapping#LINK} (the component link)
 * it writes elements' {@code jabber:server} as {@code jabber:component:accept} (XEP-0114 §3),
 * without it as they are. Stream headers are written as given either way.
 */
@Sharable
public final class XmlStreamEncoder extends MessageToByteEncoder<Object> {
  /** RFC 6120 §4.6.1: a whitespace keepalive is a single space between top-level elements. */
  public static final Object KEEPALIVE = new Object();

  private static final String STREAM_END = "</stream:stream>";

  private final NamespaceMapping namespaces;

  /** The encoder of S2S streams: namespaces as the elements have them. */
  public XmlStreamEncoder() {
    this(NamespaceMapping.NONE);
  }

  /** An encoder that writes elements' namespaces as the wire of {@code namespaces} has them. */
  public XmlStreamEncoder(NamespaceMapping namespaces) {
    this.namespaces = Objects.requireNonNull(namespaces, "namespaces");
  }

  @Override
  public boolean acceptOutboundMessage(Object msg) {
    return msg instanceof StreamHeader
        || msg instanceof Node
        || msg instanceof Packet
        || msg instanceof StreamEnd
        || msg == KEEPALIVE;
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Object msg, ByteBuf out) {
    if (msg instanceof Packet packet) {
      StanzaWriter.write(packet.getElement(), out, namespaces);
    } else if (msg instanceof Element element) {
      StanzaWriter.write(element, out, namespaces);
    } else if (msg instanceof Node node) {
      ByteBufUtil.writeUtf8(out, node.asXML());
    } else if (msg instanceof StreamHeader header) {
      ByteBufUtil.writeUtf8(out, header.toXml());
    } else if (msg == StreamEnd.INSTANCE) {
      ByteBufUtil.writeAscii(out, STREAM_END);
    } else {
      out.writeByte(' ');
    }
  }
}
