package org.passerelle.testpeers.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import javax.sip.header.RouteHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;
import org.passerelle.testpeers.SipTransport;

/** The requests a SipTestClient starts, checked without a network. */
class OutgoingRequestsTest {

  private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.32", 40000);
  private static final InetSocketAddress PROXY = new InetSocketAddress("127.0.0.30", 5060);

  private final OutgoingRequests udp = requests(SipTransport.UDP);

  private static OutgoingRequests requests(SipTransport preferred) {
    return new OutgoingRequests(
        SipFactories.create(), "alice", "sip.test", LOCAL, PROXY, preferred);
  }

  @Test
  void messageGoesToTheOutboundProxyAsALooseRouterWithTheTargetAsRequestUri() throws Exception {
    Request message = udp.message("sip:bob@sip.test", "hi", Map.of("Subject", "greeting"));

    assertThat(message.getRequestURI()).hasToString("sip:bob@sip.test");
    assertThat(route(message)).isEqualTo("<sip:127.0.0.30:5060;transport=udp;lr>");
    assertThat(via(message).getTransport()).isEqualToIgnoringCase("UDP");
    assertThat(via(message).getHost()).isEqualTo("127.0.0.32");
    assertThat(via(message).getPort()).isEqualTo(40000);
    assertThat(message.getHeader("Content-Type").toString().strip())
        .isEqualToIgnoringCase("Content-Type: text/plain;charset=UTF-8");
    assertThat(message.getHeader("Subject").toString().strip()).isEqualTo("Subject: greeting");
    assertThat(message.getHeader("Contact")).isNull();
  }

  /** RFC 3261 §18.1.1. */
  @Test
  void requestOverThirteenHundredBytesGoesOverTcpEvenWhenUdpIsPreferred() throws Exception {
    Request small = udp.message("sip:bob@sip.test", "x".repeat(900), Map.of());
    Request large = udp.message("sip:bob@sip.test", "x".repeat(1300), Map.of());

    assertThat(small.toString().length()).isLessThanOrEqualTo(OutgoingRequests.UDP_SIZE_LIMIT);
    assertThat(via(small).getTransport()).isEqualToIgnoringCase("UDP");
    assertThat(via(large).getTransport()).isEqualToIgnoringCase("TCP");
    assertThat(route(large)).isEqualTo("<sip:127.0.0.30:5060;transport=tcp;lr>");
  }

  @Test
  void bodyIsUtf8() throws Exception {
    Request message = udp.message("sip:bob@sip.test", "é👋", Map.of());

    assertThat(message.getRawContent()).hasSize(2 + 4);
  }

  @Test
  void registerKeepsItsCallIdAndNamesTheContactWithItsTransport() throws Exception {
    Request first = requests(SipTransport.TCP).register("reg@127.0.0.32", 1, 300);
    Request removal = requests(SipTransport.TCP).register("reg@127.0.0.32", 2, 0);

    assertThat(first.getRequestURI()).hasToString("sip:sip.test");
    assertThat(first.getHeader("Contact").toString().strip())
        .isEqualTo("Contact: <sip:alice@127.0.0.32:40000;transport=tcp>");
    assertThat(first.getHeader("Expires").toString().strip()).isEqualTo("Expires: 300");
    assertThat(removal.getHeader("Expires").toString().strip()).isEqualTo("Expires: 0");
    assertThat(removal.getHeader("Call-ID").toString().strip())
        .isEqualTo("Call-ID: reg@127.0.0.32");
    assertThat(removal.getHeader("CSeq").toString().strip()).isEqualTo("CSeq: 2 REGISTER");
  }

  /** RFC 3903 §4.1 (initial) and §4.4 (modify, with SIP-If-Match). */
  @Test
  void publishTargetsItsOwnAddressOfRecordAndModifiesWithTheEntityTag() throws Exception {
    Request initial = udp.publish("<presence/>", 3600, Optional.empty());
    Request modify = udp.publish("<presence/>", 3600, Optional.of("etag-1"));

    assertThat(initial.getRequestURI()).hasToString("sip:alice@sip.test");
    assertThat(initial.getHeader("Event").toString().strip()).isEqualTo("Event: presence");
    assertThat(initial.getHeader("Content-Type").toString().strip())
        .isEqualTo("Content-Type: application/pidf+xml");
    assertThat(initial.getHeader("SIP-If-Match")).isNull();
    assertThat(modify.getHeader("SIP-If-Match").toString().strip())
        .isEqualTo("SIP-If-Match: etag-1");
  }

  @Test
  void subscribeAsksForPidf() throws Exception {
    Request subscribe = udp.subscribe("sip:bob@sip.test", 600);

    assertThat(subscribe.getRequestURI()).hasToString("sip:bob@sip.test");
    assertThat(subscribe.getHeader("Event").toString().strip()).isEqualTo("Event: presence");
    assertThat(subscribe.getHeader("Accept").toString().strip())
        .isEqualTo("Accept: application/pidf+xml");
    assertThat(subscribe.getHeader("Contact").toString().strip())
        .isEqualTo("Contact: <sip:alice@127.0.0.32:40000>");
  }

  private static ViaHeader via(Request request) {
    return (ViaHeader) request.getHeader(ViaHeader.NAME);
  }

  private static String route(Request request) {
    return ((RouteHeader) request.getHeader(RouteHeader.NAME)).getAddress().toString();
  }
}
