package org.passerelle.gateway.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A stopping gateway's SIP endpoint: while it drains, new requests are answered 503 with a
 * Retry-After (RFC 3261 §21.5.4) and requests under way are counted until answered; what is still
 * unanswered when it closes gets the same 503 before the stack stops.
 */
class SipEndpointDrainTest {
  private static final String ADDRESS = "127.0.0.153";

  /** The organisation's SIP server, the only source trusted to send for gw.example's users. */
  private static final String SIP_SERVER = "127.0.0.152";

  /** MESSAGE handler that answers nothing by itself: the test answers, or the endpoint does. */
  private final BlockingQueue<SipResponder> held = new LinkedBlockingQueue<>();

  private SipEndpoint endpoint;
  private RawSip raw;
  private int port;

  @BeforeEach
  void start() throws Exception {
    InetAddress address = InetAddress.getByName(ADDRESS);
    port = FreePorts.udpAndTcp(address);
    endpoint =
        SipEndpoint.start(
            SipSettings.builder(address)
                .udp(port)
                .domains("gw.example")
                .trustedSources(
                    new TrustedSources(
                        Set.of("gw.example"), List.of(AddressRange.parse(SIP_SERVER))))
                .build(),
            SipHandlers.message(
                SipHandlers.TEXT_PLAIN, (message, responder) -> held.add(responder)));
    raw = new RawSip(address);
  }

  @AfterEach
  void stop() {
    raw.close();
    endpoint.close();
  }

  @Test
  void whileDrainingANewRequestIsAnswered503WithRetryAfter_rfc3261section21_5_4() throws Exception {
    endpoint.drain(Duration.ofSeconds(7));

    raw.send(message("hello?"), port);

    RawSip.Received response = raw.receive(RawSip.Received::isResponse);
    assertThat(response.startLine()).startsWith("SIP/2.0 503 ");
    assertThat(response.headers("Retry-After")).containsExactly("7");
    assertThat(held).as("the application never saw it").isEmpty();
  }

  @Test
  void aRequestIsUnderWayUntilItIsAnswered() throws Exception {
    raw.send(message("one"), port);
    SipResponder responder = held.poll(5, TimeUnit.SECONDS);
    assertThat(responder).isNotNull();
    assertThat(endpoint.requestsUnderWay()).isEqualTo(1);

    responder.respond(202, "Accepted");

    assertThat(raw.receive(RawSip.Received::isResponse).startLine()).startsWith("SIP/2.0 202 ");
    assertThat(endpoint.requestsUnderWay()).isZero();
  }

  @Test
  void aRequestStillUnansweredWhenTheEndpointClosesIsAnswered503AndTheLateAnswerIsDropped()
      throws Exception {
    raw.send(message("still being handled"), port);
    SipResponder responder = held.poll(5, TimeUnit.SECONDS);
    assertThat(responder).isNotNull();

    endpoint.close();

    RawSip.Received response = raw.receive(RawSip.Received::isResponse);
    assertThat(response.startLine()).startsWith("SIP/2.0 503 ");
    assertThat(response.headers("Retry-After")).hasSize(1);
    responder.respond(202, "Accepted");
    assertThat(raw.receiveWithin(300)).as("no second answer").isEmpty();
  }

  @Test
  void whileDrainingAdmissionStillComesFirst() throws Exception {
    // Decision 9 before decision 13: a forged local sender is refused 403 (RFC 3261 §21.4.3), not
    // asked to retry later; the SIP server itself is asked to retry (503, §21.5.4).
    endpoint.drain(Duration.ofSeconds(7));

    raw.send(message(raw, "sip:mallory@gw.example", "forged"), port);
    assertThat(raw.receive(RawSip.Received::isResponse).startLine()).startsWith("SIP/2.0 403 ");

    try (RawSip server = new RawSip(InetAddress.getByName(SIP_SERVER))) {
      server.send(
          message(server, "sip:alice@gw.example", "from the SIP server"),
          new InetSocketAddress(ADDRESS, port));
      RawSip.Received response = server.receive(RawSip.Received::isResponse);
      assertThat(response.startLine()).startsWith("SIP/2.0 503 ");
      assertThat(response.headers("Retry-After")).containsExactly("7");
    }
    assertThat(held).as("the application never saw either").isEmpty();
  }

  private String message(String body) {
    return message(raw, "sip:peer@remote.example", body);
  }

  private static String message(RawSip from, String fromUri, String body) {
    return RawSip.request(
            "MESSAGE", "sip:bob@gw.example", from.port(), "Content-Type: text/plain\r\n", body)
        .replace("127.0.0.1:" + from.port(), from.hostPort())
        .replace("<sip:peer@remote.example>", "<" + fromUri + ">");
  }
}
