package org.passerelle.gateway.sip.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SipStreamDecoderTest {

  private static final String OK =
      "SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK-1\r\nCSeq: 1 MESSAGE\r\n"
          + "Content-Length: 0\r\n\r\n";

  private static final String BUSY =
      "SIP/2.0 486 Busy Here\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK-2\r\nCSeq: 2 MESSAGE\r\n"
          + "Retry-After: 30\r\nContent-Length: 5\r\n\r\nbusy!";

  private final EmbeddedChannel channel = new EmbeddedChannel(new SipStreamDecoder(2048));

  private void write(String text) {
    channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
  }

  @Test
  void messagesSplitAnywhereAndSharingReadsAreFramedByContentLength_rfc3261section18_3() {
    String stream = OK + BUSY + OK;
    for (int i = 0; i < stream.length(); i += 7) {
      write(stream.substring(i, Math.min(stream.length(), i + 7)));
    }

    StreamMessage first = channel.readInbound();
    StreamMessage second = channel.readInbound();
    StreamMessage third = channel.readInbound();
    assertThat(first.head().status()).isEqualTo(200);
    assertThat(second.head().status()).isEqualTo(486);
    assertThat(new String(second.bytes(), StandardCharsets.UTF_8)).isEqualTo(BUSY);
    assertThat(third.head().topViaBranch()).contains("z9hG4bK-1");
    Object none = channel.readInbound();
    assertThat(none).isNull();
  }

  @Test
  void aSuccessIsReadFromItsHeadAndKeepsNoBytes() {
    write(OK);

    StreamMessage message = channel.readInbound();
    assertThat(message.bytes()).isNull();
  }

  @Test
  void aRequestKeepsItsBytes() {
    String options = "OPTIONS sip:gw SIP/2.0\r\nContent-Length: 0\r\n\r\n";
    write(options);

    StreamMessage message = channel.readInbound();
    assertThat(message.head().request()).isTrue();
    assertThat(new String(message.bytes(), StandardCharsets.UTF_8)).isEqualTo(options);
  }

  @Test
  void aDoubleCrlfIsAPingAndASingleOneIsSkipped_rfc5626section3_5_1() {
    write("\r\n\r\n");
    write("\r\n" + OK);

    Object ping = channel.readInbound();
    assertThat(ping).isSameAs(SipStreamDecoder.PING);
    assertThat(((StreamMessage) channel.readInbound()).head().status()).isEqualTo(200);
  }

  @Test
  void aBodyLongerThanTheLimitBreaksTheStream() {
    assertThatThrownBy(
            () -> write("SIP/2.0 200 OK\r\nContent-Length: 4000\r\n\r\n" + "x".repeat(100)))
        .isInstanceOf(TooLongFrameException.class);
  }

  @Test
  void aHeadLongerThanTheLimitBreaksTheStreamBeforeItEnds() {
    assertThatThrownBy(() -> write("SIP/2.0 200 OK\r\nX: " + "y".repeat(3000)))
        .isInstanceOf(TooLongFrameException.class);
  }

  @Test
  void anUnreadableHeadBreaksTheStream() {
    assertThatThrownBy(() -> write("SIP/2.0 2x0 OK\r\n\r\n"))
        .isInstanceOf(DecoderException.class)
        .hasCauseInstanceOf(MalformedSipException.class);
  }
}
