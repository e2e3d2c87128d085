package org.passerelle.stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.passerelle.model.Namespaces;

/** What the encoder writes, the decoder reads back unchanged: header, stanzas, errors, end. */
class XmlStreamRoundTripTest {
  private static final String STANZAS =
      "<message xmlns='jabber:server' from='a@x.test/r' to='b@y.test' type='chat' id='1'>"
          + "<body xml:lang='de'>Grüße &amp; &lt;Küsse&gt; \"🌹\" 'x'</body>"
          + "<x xmlns='urn:example' a='1&amp;2'><y/></x></message>"
          + "<db:result xmlns:db='jabber:server:dialback' from='x.test' to='y.test'>k</db:result>"
          + "<presence xmlns='jabber:server' from='a@x.test' to='b@y.test' type='unavailable'/>";

  @Test
  void encodedStreamDecodesToTheSameHeaderAndElements() {
    StreamHeader header =
        new StreamHeader(Namespaces.SERVER, "y.test", "x.test", "abc", "1.0", "en", true);
    List<Object> original = DecodedStream.read(header.toXml() + STANZAS + "</stream:stream>");

    EmbeddedChannel encoder = new EmbeddedChannel(new XmlStreamEncoder());
    original.subList(0, 4).forEach(encoder::writeOutbound);
    encoder.writeOutbound(XmlStreamEncoder.KEEPALIVE);
    encoder.writeOutbound(original.get(4));
    StringBuilder written = new StringBuilder();
    for (ByteBuf buf = encoder.readOutbound(); buf != null; buf = encoder.readOutbound()) {
      written.append(buf.toString(UTF_8));
      buf.release();
    }
    List<Object> again = DecodedStream.read(written.toString());

    assertThat(again.get(0)).isEqualTo(header);
    for (int i = 1; i <= 3; i++) {
      assertThat(((Element) again.get(i)).asXML()).isEqualTo(((Element) original.get(i)).asXML());
    }
    assertThat(again.get(4)).isEqualTo(StreamEnd.INSTANCE);
  }

  @Test
  void streamErrorWrittenByTheEncoderIsReadBackWithItsCondition() {
    EmbeddedChannel encoder = new EmbeddedChannel(new XmlStreamEncoder());
    encoder.writeOutbound(
        new StreamHeader(Namespaces.SERVER, null, "x.test", "1", "1.0", null, false));
    encoder.writeOutbound(StreamErrors.element(StreamErrorCondition.INVALID_FROM, "spoofed"));
    StringBuilder written = new StringBuilder();
    for (ByteBuf buf = encoder.readOutbound(); buf != null; buf = encoder.readOutbound()) {
      written.append(buf.toString(UTF_8));
      buf.release();
    }

    Element error = (Element) DecodedStream.read(written.toString()).get(1);
    assertThat(StreamErrors.isStreamError(error)).isTrue();
    assertThat(StreamErrors.conditionOf(error)).isEqualTo(StreamErrorCondition.INVALID_FROM);
    assertThat(StreamErrors.textOf(error)).isEqualTo("spoofed");
  }
}
