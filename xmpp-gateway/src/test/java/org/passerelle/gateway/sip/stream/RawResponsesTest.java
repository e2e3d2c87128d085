package org.passerelle.gateway.sip.stream;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sip.header.TimeStampHeader;
import org.junit.jupiter.api.Test;

/**
 * A response written from its request's raw head (RFC 3261 §8.2.6): the 400 to a request too broken
 * to parse, and the plain answers to the others.
 */
class RawResponsesTest {

  private static final InetSocketAddress SOURCE = new InetSocketAddress("192.0.2.1", 40000);

  private static final String VIA_1 = "Via: SIP/2.0/TCP proxy.example.org;branch=z9hG4bK-top";

  /** The first Via as answered: the request came from elsewhere than its sent-by (§18.2.1). */
  private static final String STAMPED_VIA_1 = VIA_1 + ";received=192.0.2.1";

  private static final String VIA_2 =
      "Via: SIP/2.0/TCP a.example.org;branch=z9hG4bK-a, SIP/2.0/TLS b.example.org;branch=z9hG4bK-b";
  private static final String FROM = "From: \"Alice\" <sip:alice@example.org>;tag=from-1";
  private static final String TO = "To: <sip:bob@example.net>";
  private static final String CALL_ID = "Call-ID: c-1@example.org";
  private static final String CSEQ = "CSeq: 7 MESSAGE";

  private static String request(String method, String... headers) {
    return method
        + " sip:bob@example.net SIP/2.0\r\n"
        + String.join("\r\n", headers)
        + "\r\nContent-Length: 2\r\n\r\nhi";
  }

  private static final String[] ALL = {VIA_1, VIA_2, FROM, TO, CALL_ID, CSEQ};

  private static String answer(String request, String reason) {
    byte[] answer =
        RawResponses.answer(
            request.getBytes(StandardCharsets.UTF_8), SOURCE, 400, reason, () -> "5ca1ab1e");
    return answer == null ? null : new String(answer, StandardCharsets.UTF_8);
  }

  /** The 400 to a request whose only Via is {@code via}. */
  private static String answerWithVia(String via) {
    return answer(request("MESSAGE", via, FROM, TO, CALL_ID, CSEQ), "Bad Request");
  }

  private static List<String> lines(String response) {
    return Arrays.asList(response.substring(0, response.indexOf("\r\n\r\n")).split("\r\n"));
  }

  @Test
  void theStatusLineIs400WithTheReasonGiven_rfc3261section21_4_1() {
    String response = answer(request("MESSAGE", ALL), "Bad Request");

    assertThat(response).startsWith("SIP/2.0 400 Bad Request\r\n");
  }

  @Test
  void everyViaFromCallIdAndCSeqLineIsCopiedVerbatimInOrder_rfc3261section8_2_6_2() {
    String response = answer(request("MESSAGE", ALL), "Bad Request");

    List<String> lines = lines(response);
    assertThat(lines.subList(1, 4)).containsExactly(STAMPED_VIA_1, VIA_2, FROM);
    assertThat(lines.get(4)).startsWith(TO);
    assertThat(lines.subList(5, 7)).containsExactly(CALL_ID, CSEQ);
  }

  @Test
  void viaLinesBetweenOtherHeadersAreAllCopied_rfc3261section8_2_6_2() {
    String response =
        answer(
            request("MESSAGE", VIA_1, "Max-Forwards: 70", VIA_2, FROM, TO, CALL_ID, CSEQ),
            "Bad Request");

    assertThat(lines(response)).contains(STAMPED_VIA_1, VIA_2).doesNotContain("Max-Forwards: 70");
  }

  @Test
  void headersNotCopiedAreLeftOut_rfc3261section8_2_6_2() {
    String response =
        answer(
            request(
                "MESSAGE",
                VIA_1,
                FROM,
                TO,
                CALL_ID,
                CSEQ,
                "Contact: <sip:alice@198.51.100.1>",
                "Subject: lunch",
                "Content-Type: text/plain"),
            "Bad Request");

    assertThat(response)
        .doesNotContain("Contact:")
        .doesNotContain("Subject:")
        .doesNotContain("Content-Type:")
        .doesNotContain("hi");
  }

  @Test
  void compactFormsAreCopiedAsTheyCame_rfc3261section7_3_3() {
    String response =
        answer(
            request(
                "MESSAGE",
                "v: SIP/2.0/TCP proxy.example.org;branch=z9hG4bK-c",
                "f: <sip:alice@example.org>;tag=f-1",
                "t: <sip:bob@example.net>;tag=t-1",
                "i: compact@example.org",
                CSEQ),
            "Bad Request");

    assertThat(lines(response))
        .containsExactly(
            "SIP/2.0 400 Bad Request",
            "v: SIP/2.0/TCP proxy.example.org;branch=z9hG4bK-c;received=192.0.2.1",
            "f: <sip:alice@example.org>;tag=f-1",
            "t: <sip:bob@example.net>;tag=t-1",
            "i: compact@example.org",
            CSEQ,
            "Content-Length: 0");
  }

  @Test
  void headerNamesAreMatchedWhateverTheirCase_rfc3261section7_3_1() {
    String response =
        answer(
            request(
                "MESSAGE",
                "VIA: SIP/2.0/TCP p;branch=z9hG4bK-u",
                "from: <sip:a@example.org>;tag=1",
                "TO: <sip:b@example.net>;tag=2",
                "call-id: x",
                "CSEQ: 1 MESSAGE"),
            "Bad Request");

    assertThat(response)
        .isNotNull()
        .contains("VIA: SIP/2.0/TCP p;branch=z9hG4bK-u;received=192.0.2.1\r\n");
  }

  @Test
  void foldedContinuationLinesOfACopiedHeaderAreCopied_rfc3261section7_3_1() {
    String response =
        answer(
            request(
                "MESSAGE",
                "Via: SIP/2.0/TCP a.example.org;branch=z9hG4bK-a,",
                " SIP/2.0/TCP b.example.org;branch=z9hG4bK-b",
                "Subject: a subject",
                "\tfolded too",
                FROM,
                TO,
                CALL_ID,
                CSEQ),
            "Bad Request");

    assertThat(response)
        .contains(
            "Via: SIP/2.0/TCP a.example.org;branch=z9hG4bK-a;received=192.0.2.1,\r\n"
                + " SIP/2.0/TCP b.example.org;branch=z9hG4bK-b\r\n")
        .doesNotContain("folded too");
  }

  @Test
  void aToWithoutATagGetsOne_rfc3261section8_2_6_2() {
    String response = answer(request("MESSAGE", ALL), "Bad Request");

    String to = lines(response).get(4);
    assertThat(to).startsWith(TO + ";tag=");
    assertThat(to.substring((TO + ";tag=").length())).isNotEmpty().doesNotContain(";");
  }

  @Test
  void aToWithATagKeepsItAndGetsNoOther_rfc3261section8_2_6_2() {
    String tagged = "To: <sip:bob@example.net>;tag=bob-1";
    String response = answer(request("MESSAGE", VIA_1, FROM, tagged, CALL_ID, CSEQ), "Bad Request");

    assertThat(lines(response)).contains(tagged);
    assertThat(response.split("tag=", -1)).as("one tag each in From and To").hasSize(3);
  }

  @Test
  void aToTagWithSpacesAroundItsEqualsSignIsKept_rfc3261section25_1() {
    String tagged = "To: <sip:bob@example.net> ; TAG = bob-3";
    String response = answer(request("MESSAGE", VIA_1, FROM, tagged, CALL_ID, CSEQ), "Bad Request");

    assertThat(lines(response)).contains(tagged);
    assertThat(response.toLowerCase(java.util.Locale.ROOT).split("tag\\s*=", -1))
        .as("one tag each in From and To")
        .hasSize(3);
  }

  @Test
  void aToWhoseTagIsOnAFoldedLineGetsNoSecondTag_rfc3261section7_3_1() {
    String response =
        answer(
            request(
                "MESSAGE", VIA_1, FROM, "To: <sip:bob@example.net>", " ;tag=bob-2", CALL_ID, CSEQ),
            "Bad Request");

    assertThat(response).contains("To: <sip:bob@example.net>\r\n ;tag=bob-2\r\n");
    assertThat(response.split("tag=", -1)).as("one tag each in From and To").hasSize(3);
  }

  @Test
  void aFoldedToWithoutATagGetsOneAfterItsLastLine_rfc3261section7_3_1() {
    String response =
        answer(
            request(
                "MESSAGE", VIA_1, FROM, "To: \"Bob\"", "\t<sip:bob@example.net>", CALL_ID, CSEQ),
            "Bad Request");

    assertThat(response)
        .containsPattern("To: \"Bob\"\r\n\t<sip:bob@example.net>;tag=[0-9a-f]+\r\n");
  }

  @Test
  void anAckIsNeverAnswered_rfc3261section17_1_1_3() {
    assertThat(answer(request("ACK", ALL), "Bad Request")).isNull();
  }

  @Test
  void aHeadWithoutItsBlankLineIsNotAnswered() {
    String truncated =
        "MESSAGE sip:bob@example.net SIP/2.0\r\n" + String.join("\r\n", ALL) + "\r\n";

    assertThat(answer(truncated, "Bad Request")).isNull();
  }

  @Test
  void aRequestMissingAHeaderTheResponseMustCopyIsNotAnswered_rfc3261section8_2_6_2() {
    assertThat(answer(request("MESSAGE", FROM, TO, CALL_ID, CSEQ), "x")).as("no Via").isNull();
    assertThat(answer(request("MESSAGE", VIA_1, TO, CALL_ID, CSEQ), "x")).as("no From").isNull();
    assertThat(answer(request("MESSAGE", VIA_1, FROM, CALL_ID, CSEQ), "x")).as("no To").isNull();
    assertThat(answer(request("MESSAGE", VIA_1, FROM, TO, CSEQ), "x")).as("no Call-ID").isNull();
    assertThat(answer(request("MESSAGE", VIA_1, FROM, TO, CALL_ID), "x")).as("no CSeq").isNull();
  }

  @Test
  void aReasonWithLineEndsCannotAddAHeader() {
    String response =
        answer(request("MESSAGE", ALL), "Bad\r\nX-Injected: yes\r\n\r\nbody\nY-Injected: yes");

    List<String> lines = lines(response);
    assertThat(lines.get(0)).startsWith("SIP/2.0 400 Bad");
    assertThat(lines.subList(1, lines.size()))
        .noneMatch(line -> line.startsWith("X-Injected") || line.startsWith("Y-Injected"));
    assertThat(response).doesNotContain("\nY-Injected").endsWith("\r\n\r\n");
  }

  @Test
  void theResponseEndsWithAZeroContentLengthAndTheBlankLine_rfc3261section18_3() {
    String response = answer(request("MESSAGE", ALL), "Bad Request");

    assertThat(response).endsWith("\r\n" + CSEQ + "\r\nContent-Length: 0\r\n\r\n");
    assertThat(response.indexOf("\r\n\r\n")).isEqualTo(response.length() - 4);
  }

  @Test
  void theTopViaGetsNoReceivedWhenItsHostIsWhereTheRequestCameFrom_rfc3261section18_2_1() {
    String via = "Via: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK-same";

    String response = answer(request("MESSAGE", via, FROM, TO, CALL_ID, CSEQ), "Bad Request");

    assertThat(lines(response)).contains(via);
  }

  @Test
  void anRportWithoutValueIsFilledWithTheSourcePort_rfc3581section4() {
    String response =
        answer(
            request(
                "MESSAGE",
                "Via: SIP/2.0/TCP 192.0.2.1:5060;rport;branch=z9hG4bK-r",
                VIA_2,
                FROM,
                TO,
                CALL_ID,
                CSEQ),
            "Bad Request");

    assertThat(lines(response))
        .contains("Via: SIP/2.0/TCP 192.0.2.1:5060;rport=40000;branch=z9hG4bK-r", VIA_2);
  }

  @Test
  void anRportWithAValueAndAReceivedOfTheClientsOwnAreReplacedOnlyWhereTheyMustBe() {
    String response =
        answerWithVia(
            "Via: SIP / 2.0 / TCP  client.example ; received=10.9.9.9 ;rport=7;branch=z9hG4bK-x");

    assertThat(lines(response))
        .contains(
            "Via: SIP / 2.0 / TCP  client.example ;rport=7;branch=z9hG4bK-x;received=192.0.2.1");
  }

  @Test
  void onlyTheFirstValueOfTheFirstViaIsStampedAndQuotedSeparatorsDoNotCount_rfc3261section25_1() {
    String response =
        answerWithVia(
            "Via: SIP/2.0/TCP a.example;x=\"semi;comma,\";rport, SIP/2.0/TCP b.example;rport");

    assertThat(lines(response))
        .contains(
            "Via: SIP/2.0/TCP a.example;x=\"semi;comma,\";rport=40000;received=192.0.2.1,"
                + " SIP/2.0/TCP b.example;rport");
  }

  @Test
  void anIpv6SentByMatchesItsSourceWithoutBrackets_rfc3261section18_2_1() throws Exception {
    byte[] answer =
        RawResponses.answer(
            request(
                    "MESSAGE",
                    "Via: SIP/2.0/TCP [2001:db8::1]:5060;branch=z9hG4bK-6",
                    FROM,
                    TO,
                    CALL_ID,
                    CSEQ)
                .getBytes(StandardCharsets.UTF_8),
            new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 5060),
            400,
            "Bad Request",
            () -> "t");

    assertThat(new String(answer, StandardCharsets.UTF_8))
        .contains("Via: SIP/2.0/TCP [2001:db8::1]:5060;branch=z9hG4bK-6\r\n");
  }

  @Test
  void aTimestampIsCopied_rfc3261section8_2_6_1() {
    String response =
        answer(request("MESSAGE", VIA_1, FROM, TO, CALL_ID, CSEQ, "Timestamp: 54.2"), "x");

    assertThat(lines(response)).contains("Timestamp: 54.2");
  }

  @Test
  void theTagIsAskedForOnlyWhenTheToHasNone() {
    List<String> asked = new ArrayList<>();
    String tagged = "To: <sip:bob@example.net>;tag=bob-1";

    RawResponses.answer(
        request("MESSAGE", VIA_1, FROM, tagged, CALL_ID, CSEQ).getBytes(StandardCharsets.UTF_8),
        SOURCE,
        202,
        "Accepted",
        () -> {
          asked.add("tag");
          return "t";
        });

    assertThat(asked).isEmpty();
  }

  @Test
  void copiedHeadersKeepTheirBytesAndTheReasonIsUtf8() {
    String from = "From: \"Zoë 東京\" <sip:zoe@example.org>;tag=z";

    String response = answer(request("MESSAGE", VIA_1, from, TO, CALL_ID, CSEQ), "Très mauvais");

    assertThat(lines(response)).contains(from, "SIP/2.0 400 Très mauvais");
  }

  @Test
  void saysWhatJainSipsOwnResponseSays_rfc3261section8_2_6_2() throws Exception {
    String text =
        "MESSAGE sip:bob@gw.example SIP/2.0\r\n"
            + "Via: SIP/2.0/TCP 192.0.2.7:5099;branch=z9hG4bK-1;rport\r\n"
            + "Via: SIP/2.0/UDP proxy.example;branch=z9hG4bK-0, SIP/2.0/UDP a.example;branch=z9\r\n"
            + "Max-Forwards: 70\r\n"
            + "f: \"Peer\" <sip:peer@remote.example>;tag=p1\r\n"
            + "To: <sip:bob@gw.example>\r\n"
            + "Call-ID: plain-1@remote.example\r\n"
            + "CSeq: 7 MESSAGE\r\n"
            + "Timestamp: 54\r\n"
            + "Content-Type: text/plain\r\n"
            + "Content-Length: 2\r\n\r\n"
            + "hi";
    SIPRequest request = (SIPRequest) parse(text.getBytes(StandardCharsets.UTF_8));
    Via top = request.getTopmostVia();
    top.setReceived("192.0.2.1");
    top.setParameter(Via.RPORT, "40000");
    SIPResponse theirs = request.createResponse(202, "Accepted");
    theirs.getTo().setTag("t1");

    SIPResponse ours =
        (SIPResponse)
            parse(
                RawResponses.answer(
                    text.getBytes(StandardCharsets.UTF_8), SOURCE, 202, "Accepted", () -> "t1"));

    assertThat(ours.getStatusCode()).isEqualTo(202);
    assertThat(ours.getReasonPhrase()).isEqualTo("Accepted");
    assertThat(ours.getViaHeaders().encode()).isEqualTo(theirs.getViaHeaders().encode());
    assertThat(ours.getFrom().toString()).isEqualTo(theirs.getFrom().toString());
    assertThat(ours.getTo().toString()).isEqualTo(theirs.getTo().toString());
    assertThat(ours.getCallId().toString()).isEqualTo(theirs.getCallId().toString());
    assertThat(ours.getCSeq().toString()).isEqualTo(theirs.getCSeq().toString());
    assertThat(((TimeStampHeader) ours.getHeader(TimeStampHeader.NAME)).getTime()).isEqualTo(54);
    assertThat(ours.getContentLength().getContentLength()).isZero();
    assertThat(ours.getRawContent()).isNull();
  }

  private static SIPMessage parse(byte[] bytes) throws ParseException {
    return new StringMsgParser().parseSIPMessage(bytes, true, false, null);
  }
}
