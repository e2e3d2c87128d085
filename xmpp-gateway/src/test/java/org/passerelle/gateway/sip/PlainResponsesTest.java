package org.passerelle.gateway.sip;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import org.junit.jupiter.api.Test;

/**
 * A plain response written from the request's headers says what JAIN-SIP's own would: the same
 * status, Vias, From, To (with a tag), Call-ID and CSeq (RFC 3261 §8.2.6.2), and no body.
 */
class PlainResponsesTest {

  private static final String REQUEST =
      "MESSAGE sip:bob@gw.example SIP/2.0\r\n"
          + "Via: SIP/2.0/TCP 192.0.2.7:5099;branch=z9hG4bK-1;received=127.0.0.9;rport=4242\r\n"
          + "Via: SIP/2.0/UDP proxy.example;branch=z9hG4bK-0, SIP/2.0/UDP a.example;branch=z9hG4bK-a\r\n"
          + "Max-Forwards: 70\r\n"
          + "From: \"Peer\" <sip:peer@remote.example>;tag=p1\r\n"
          + "To: <sip:bob@gw.example>\r\n"
          + "Call-ID: plain-1@remote.example\r\n"
          + "CSeq: 7 MESSAGE\r\n"
          + "Content-Type: text/plain\r\n"
          + "Content-Length: 2\r\n\r\n"
          + "hi";

  @Test
  void saysWhatJainSipsOwnResponseSays_rfc3261section8_2_6_2() throws Exception {
    SIPRequest request = parse(REQUEST);
    SIPResponse theirs = request.createResponse(202, "Accepted");
    theirs.getTo().setTag("t1");

    SIPResponse ours = parseResponse(PlainResponses.encode(parse(REQUEST), 202, "Accepted", "t1"));

    assertThat(ours.getStatusCode()).isEqualTo(202);
    assertThat(ours.getReasonPhrase()).isEqualTo("Accepted");
    assertThat(ours.getViaHeaders().encode()).isEqualTo(theirs.getViaHeaders().encode());
    assertThat(ours.getFrom().toString()).isEqualTo(theirs.getFrom().toString());
    assertThat(ours.getTo().toString()).isEqualTo(theirs.getTo().toString());
    assertThat(ours.getCallId().getCallId()).isEqualTo("plain-1@remote.example");
    assertThat(ours.getCSeq().toString()).isEqualTo(theirs.getCSeq().toString());
    assertThat(ours.getContentLength().getContentLength()).isZero();
    assertThat(ours.getRawContent()).isNull();
  }

  @Test
  void aToThatHasATagKeepsItAndGetsNoOther_rfc3261section8_2_6_2() throws Exception {
    SIPRequest request =
        parse(REQUEST.replace("To: <sip:bob@gw.example>", "To: <sip:bob@gw.example>;tag=b9"));

    String text =
        new String(PlainResponses.encode(request, 200, "", "unused"), StandardCharsets.UTF_8);

    assertThat(parseResponse(text.getBytes(StandardCharsets.UTF_8)).getToTag()).isEqualTo("b9");
    assertThat(text).doesNotContain("unused");
  }

  @Test
  void anEmptyReasonGetsTheStandardPhrase_rfc3261section21() throws Exception {
    SIPResponse ours = parseResponse(PlainResponses.encode(parse(REQUEST), 481, "", "t"));

    assertThat(ours.getReasonPhrase()).isEqualTo("Call leg/Transaction does not exist");
  }

  @Test
  void aReasonWithLineEndsCannotAddAHeader() throws Exception {
    String text =
        new String(
            PlainResponses.encode(parse(REQUEST), 400, "bad\r\nX-Injected: yes", "t"),
            StandardCharsets.UTF_8);

    assertThat(text).startsWith("SIP/2.0 400 bad X-Injected: yes\r\n");
    assertThat(text.lines()).noneMatch(line -> line.startsWith("X-Injected"));
  }

  @Test
  void aRequestWithATimestampIsLeftToJainSip_rfc3261section8_2_6_1() throws Exception {
    assertThat(PlainResponses.suit(parse(REQUEST))).isTrue();
    assertThat(
            PlainResponses.suit(
                parse(
                    REQUEST.replace(
                        "Max-Forwards: 70\r\n", "Max-Forwards: 70\r\nTimestamp: 54\r\n"))))
        .isFalse();
  }

  private static SIPRequest parse(String text) throws ParseException {
    return (SIPRequest)
        new StringMsgParser()
            .parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true, false, null);
  }

  private static SIPResponse parseResponse(byte[] bytes) throws ParseException {
    return (SIPResponse) new StringMsgParser().parseSIPMessage(bytes, true, false, null);
  }
}
