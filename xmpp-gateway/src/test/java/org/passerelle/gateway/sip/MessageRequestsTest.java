package org.passerelle.gateway.sip;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.message.SIPMessage;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.sip.address.URI;
import javax.sip.header.FromHeader;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.passerelle.model.address.AddressMapper;
import org.passerelle.model.address.SipUri;

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
      Request request = requests.draft(m, body).request();
      int encoded = ((SIPMessage) request).encodeAsBytes(SipTransport.UDP.token()).length;

      int bound = requests.sizeBound(m, body.length);

      assertThat(bound).as("bound for %s", m).isGreaterThanOrEqualTo(encoded);
      assertThat(bound - encoded)
          .as("close enough that a chat message needs no encoding to be sized: %s", m)
          .isLessThan(MessageRequests.MESSAGE_FIXED_BYTES);
    }
  }

  /**
   * Addresses mapped from JIDs (RFC 7247 §6.5: escapes, non-ASCII, GRUUs) and URIs with ports, IPv6
   * hosts and valueless parameters: JAIN-SIP's URI built from the parts is the one it parses from
   * the text, written the same.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "m\\26m@xmpp.example",
        "tschüss@xmpp.example",
        "baz@xmpp.example/qux",
        "a#b%c[d\\e]f^g`h{i|j}k@x.example",
        "d\\27artagnan@x.example",
        "\\2f.fanboy@x.example",
        "bob@x.example/Büro 1;a=b@c/d",
        "juliet@xmpp.example/balcony urn:uuid:f81d4fae",
        "xmpp.example",
        "sip:alice@gw.example",
        "sips:m%26m@[2001:db8::1]:5061;transport=tcp",
        "sip:10.0.0.1:5070;lr;maddr=10.0.0.2",
        "sip:a;b=c@xn--bcher-kva.example;gr=dev%20ice",
        "sip:x@[::1]"
      })
  void uriBuiltFromItsPartsIsTheOneJainSipParses(String address) throws Exception {
    SipUri uri =
        address.startsWith("sip") ? SipUri.parse(address) : AddressMapper.toSipUri(address);
    URI parsed = new AddressFactoryImpl().createURI(uri.toString());

    URI built = MessageRequests.sipUri(uri);

    assertThat(built.toString()).isEqualTo(parsed.toString()).isEqualTo(uri.toString());
    assertThat(built).isEqualTo(parsed);
    assertThat(built.isSipURI()).isTrue();
  }

  @Test
  void requestFromParsedAddressesIsTheRequestFromTheirText() throws Exception {
    SipUri to = AddressMapper.toSipUri("tschüss@sip.example/phone");
    SipUri from = AddressMapper.toSipUri("m\\26m@xmpp.example/balcony");
    OutgoingMessage parsed =
        OutgoingMessage.builder(to, from, "hi")
            .to(to.addressOfRecord())
            .callId("c@x")
            .subject("s")
            .build();
    OutgoingMessage text =
        OutgoingMessage.builder(to.toString(), from.toString(), "hi")
            .to(to.addressOfRecord().toString())
            .callId("c@x")
            .subject("s")
            .build();
    assertThat(parsed.uris()).isPresent();
    assertThat(text.uris()).isEmpty();

    assertThat(encodedWithoutTag(parsed)).isEqualTo(encodedWithoutTag(text));
  }

  /** Encoded by a fresh factory (CSeq 1), the random From tag replaced. */
  private static String encodedWithoutTag(OutgoingMessage m) throws Exception {
    Request request =
        new MessageRequests(InetAddress.getLoopbackAddress())
            .draft(m, m.body().getBytes(StandardCharsets.UTF_8))
            .request();
    ((FromHeader) request.getHeader(FromHeader.NAME)).setTag("tag");
    return new String(
        ((SIPMessage) request).encodeAsBytes(SipTransport.UDP.token()), StandardCharsets.UTF_8);
  }

  @Test
  void boundWithinTheLimitIsTakenAndAboveItTheRequestIsMeasured() throws Exception {
    OutgoingMessage m = SHAPES.get(0);
    byte[] body = m.body().getBytes(StandardCharsets.UTF_8);
    Request request = requests.draft(m, body).request();
    int encoded = ((SIPMessage) request).encodeAsBytes(SipTransport.UDP.token()).length;

    assertThat(RequestSender.transportSize(request, 1300)).isEqualTo(1300);
    assertThat(RequestSender.transportSize(request, 1301)).isEqualTo(encoded);
    assertThat(RequestSender.transportSize(request, RequestSender.UNKNOWN_SIZE)).isEqualTo(encoded);
  }
}
