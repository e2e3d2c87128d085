package org.passerelle.stream;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link XmlStreamDecoder} makes of some stream bytes, in order: the header, then elements.
 */
final class DecodedStream {
  private DecodedStream() {}

  static List<Object> read(String xml) {
    return read(xml, NamespaceMapping.NONE);
  }

  static List<Object> read(String xml, NamespaceMapping namespaces) {
    List<Object> out = new ArrayList<>();
    EmbeddedChannel decoder =
        new EmbeddedChannel(
            new XmlStreamDecoder(StreamLimits.DEFAULTS, namespaces),
            new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                out.add(msg);
              }
            });
    decoder.writeInbound(Unpooled.copiedBuffer(xml, UTF_8));
    return out;
  }
}
