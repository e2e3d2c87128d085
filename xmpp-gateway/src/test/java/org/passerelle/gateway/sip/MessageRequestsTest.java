package org.passerelle.gateway.sip;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.message.SIPMessage;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;

/** The MESSAGE requests the endpoint builds (RFC 3428 §4) and what is known of their size. */
class MessageRequestsTest {

  private final MessageRequests requests = new MessageRequests(InetAddress.getLoopbackAddress());

  private static final String LONG_USER = "a-very-long-user-name.with.dots_and_underscores%2Bplus";

  private static final List<OutgoingMessage> SHAPES =
      List.of(
          OutgoingMessage.builder("sip:bob@sip.example", "sip:alice@xmpp.example", "hi").build(),
          OutgoingMessage.builder(
                  "sip:bob@sip.example;gr=urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6",
                  "sip:alice@xmpp.example;gr=laptop",
                  "Grüße, 世界! 👋")
              .to("sip:bob@sip.example")
              .callId("thread-42@xmpp.example")
              .subject("Grüße 👋 " + "s".repeat(200))
              .contentLanguage("de-CH")
              .build(),
          OutgoingMessage.builder(
                  "sips:" + LONG_USER + "@[2001:db8::1]:5061;transport=tcp;lr",
                  "sip:" + LONG_USER + "@xn--bcher-kva.example:5070;maddr=10.0.0.1",
                  "x".repeat(1200))
              .to("sip:" + LONG_USER + "@[2001:db8::1]")
              .build(),
          OutgoingMessage.builder("sip:b@h", "sip:a@h", "").build());

  /**
   * RFC 3261 §18.1.1 picks the transport by the request's size: the bound the endpoint passes
   * instead of encoding must never be below the size the encoded request has.
   */
  @Test
  void sizeBoundIsNeverBelowTheEncodedSize_rfc3261section18_1_1() throws Exception {
    for (OutgoingMessage m : SHAPES) {
      byte[] body = m.body().getBytes(StandardCharsets.UTF_8);
      Request request = requests.message(m, body);
      int encoded = ((SIPMessage) request).encodeAsBytes(SipTransport.UDP.token()).length;

      int bound = requests.sizeBound(m, body.length);

      assertThat(bound).as("bound for %s", m).isGreaterThanOrEqualTo(encoded);
      assertThat(bound - encoded)
          .as("close enough that a chat message needs no encoding to be sized: %s", m)
          .isLessThan(MessageRequests.MESSAGE_FIXED_BYTES);
    }
  }

  @Test
  void boundWithinTheLimitIsTakenAndAboveItTheRequestIsMeasured() throws Exception {
    OutgoingMessage m = SHAPES.get(0);
    byte[] body = m.body().getBytes(StandardCharsets.UTF_8);
    Request request = requests.message(m, body);
    int encoded = ((SIPMessage) request).encodeAsBytes(SipTransport.UDP.token()).length;

    assertThat(RequestSender.transportSize(request, 1300)).isEqualTo(1300);
    assertThat(RequestSender.transportSize(request, 1301)).isEqualTo(encoded);
    assertThat(RequestSender.transportSize(request, RequestSender.UNKNOWN_SIZE)).isEqualTo(encoded);
  }
}
