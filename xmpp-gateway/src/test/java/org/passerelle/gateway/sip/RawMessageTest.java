package org.passerelle.gateway.sip;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RawMessageTest {

  /** What Kamailio relays to the gateway: its own Via on top of the client's, Record-Route. */
  private static final String KAMAILIO =
      "MESSAGE sip:juliet@capulet.example SIP/2.0\r\n"
          + "Record-Route: <sip:127.0.0.1;transport=tcp;r2=on;lr>\r\n"
          + "Via: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK1b0a.1;i=1\r\n"
          + "Via: SIP/2.0/TCP 127.0.0.1:40000;received=127.0.0.1;rport=40000;branch=z9hG4bK-1\r\n"
          + "Max-Forwards: 69\r\n"
          + "From: \"Romeo\" <sip:romeo@sip.example.test>;tag=49583\r\n"
          + "To: <sip:juliet@capulet.example>\r\n"
          + "Call-ID: asd88asd77a@1.2.3.4\r\n"
          + "CSeq: 1 MESSAGE\r\n"
          + "Subject: Balcony\r\n"
          + "Content-Language: en-GB\r\n"
          + "Content-Type: text/plain;charset=UTF-8\r\n"
          + "Content-Length: 14\r\n"
          + "\r\n"
          + "Wherefore? ✓";

  @Test
  void readsWhatAMessageCarries() {
    RawMessage message = RawMessage.read(KAMAILIO.getBytes(UTF_8)).orElseThrow();

    assertThat(message.method()).isEqualTo("MESSAGE");
    assertThat(message.sipHost()).contains("capulet.example");
    assertThat(message.fromHost()).contains("sip.example.test");
    assertThat(message.callId()).isEqualTo("asd88asd77a@1.2.3.4");
    assertThat(message.bodyLength()).isEqualTo(14);
    ReceivedRequest.MessageFields fields = message.messageFields();
    assertThat(fields.requestUri()).isEqualTo("sip:juliet@capulet.example");
    assertThat(fields.from()).isEqualTo("sip:romeo@sip.example.test");
    assertThat(fields.to()).isEqualTo("sip:juliet@capulet.example");
    assertThat(fields.mediaType()).isEqualTo("text/plain");
    assertThat(fields.charset()).contains("UTF-8");
    assertThat(new String(fields.body(), UTF_8)).isEqualTo("Wherefore? ✓");
    assertThat(fields.subject()).contains("Balcony");
    assertThat(fields.contentLanguage()).contains("en-GB");
  }

  @Test
  void readsCompactHeaderNamesAndAddrSpecs() {
    String request =
        "MESSAGE sip:juliet@capulet.example SIP/2.0\r\n"
            + "v: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK1\r\n"
            + "Max-Forwards: 70\r\n"
            + "f: sip:romeo@sip.example.test;tag=1\r\n"
            + "t: sip:juliet@capulet.example\r\n"
            + "i: 1\r\n"
            + "CSeq: 1 MESSAGE\r\n"
            + "c: Text/Plain\r\n"
            + "l: 0\r\n"
            + "\r\n";

    RawMessage message = RawMessage.read(request.getBytes(UTF_8)).orElseThrow();

    assertThat(message.fromUri()).isEqualTo("sip:romeo@sip.example.test");
    assertThat(message.messageFields().mediaType()).isEqualTo("text/plain");
    assertThat(message.messageFields().charset()).isEmpty();
    assertThat(message.bodyLength()).isZero();
  }

  @Test
  void givesJainSipsModelWhenAResponseNeedsIt() throws Exception {
    RawMessage message = RawMessage.read(KAMAILIO.getBytes(UTF_8)).orElseThrow();

    assertThat(message.parsed().getMethod()).isEqualTo("MESSAGE");
    assertThat(message.parsed()).isSameAs(message.parsed());
  }

  /** Outside the subset read here: each goes to JAIN-SIP, which answers or refuses it. */
  @ParameterizedTest
  @MethodSource("outsideTheSubset")
  void leavesToJainSipWhatItDoesNotRead(String replaced, String replacement) {
    String request = KAMAILIO.replace(replaced, replacement);
    assertThat(request).isNotEqualTo(KAMAILIO);

    assertThat(RawMessage.read(request.getBytes(UTF_8))).isEqualTo(Optional.empty());
  }

  static Stream<Arguments> outsideTheSubset() {
    String requestLine = "MESSAGE sip:juliet@capulet.example SIP/2.0";
    return Stream.of(
        arguments(requestLine, "OPTIONS sip:juliet@capulet.example SIP/2.0"),
        arguments(requestLine, "MESSAGE tel:+331234 SIP/2.0"),
        arguments(requestLine, "MESSAGE sip:juliet@[::1] SIP/2.0"),
        arguments(requestLine, "MESSAGE SIP:juliet@capulet.example SIP/2.0"),
        arguments(requestLine, "MESSAGE  sip:juliet@capulet.example SIP/2.0"),
        arguments("Max-Forwards: 69\r\n", ""),
        arguments("Max-Forwards: 69", "Max-Forwards: 256"),
        arguments("CSeq: 1 MESSAGE", "CSeq: 1 INVITE"),
        arguments("Call-ID: asd88asd77a@1.2.3.4\r\n", ""),
        arguments(
            "To: <sip:juliet@capulet.example>", "To: <sip:juliet@capulet.example>\r\nt: <sip:x@y>"),
        arguments("Subject: Balcony", "Subject: Bal\r\n cony"),
        arguments("Content-Language: en-GB", "Content-Language: en_GB"),
        arguments("From: \"Romeo\"", "From: \"Ro\\\"meo\""),
        arguments("branch=z9hG4bK1b0a.1;i=1", "branch=\"z9hG4bK1b0a.1\""),
        // Found by RawMessageFuzzTest: JAIN-SIP refuses a Via branch without a value.
        arguments("branch=z9hG4bK1b0a.1;i=1", "branch"));
  }
}
