package org.passerelle.gateway.sip.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SipHeadTest {

  private static final String OK =
      "SIP/2.0 200 OK\r\n"
          + "Via: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK-abc;received=127.0.0.1\r\n"
          + "From: <sip:alice@example.com>;tag=1\r\n"
          + "To: <sip:bob@example.org>;tag=2\r\n"
          + "Call-ID: call-1@example.com\r\n"
          + "CSeq: 7 MESSAGE\r\n"
          + "Content-Length: 0";

  @Test
  void aResponseGivesItsStatusReasonBranchCallIdAndCseqMethod() throws Exception {
    SipHead head = SipHead.parse(OK);

    assertThat(head.request()).isFalse();
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.reason()).isEqualTo("OK");
    assertThat(head.topViaBranch()).contains("z9hG4bK-abc");
    assertThat(head.callId()).contains("call-1@example.com");
    assertThat(head.cseqMethod()).contains("MESSAGE");
    assertThat(head.contentLength()).isZero();
    assertThat(head.isFinalResponse()).isTrue();
  }

  @Test
  void compactHeaderNamesInAnyCaseAreRead_rfc3261section7_3_3() throws Exception {
    SipHead head =
        SipHead.parse(
            "SIP/2.0 202 Accepted\r\nv: SIP/2.0/TCP h;BRANCH=z9hG4bK-1\r\nI: c-2\r\n"
                + "cseq: 1 MESSAGE\r\nL: 12");

    assertThat(head.topViaBranch()).contains("z9hG4bK-1");
    assertThat(head.callId()).contains("c-2");
    assertThat(head.contentLength()).isEqualTo(12);
  }

  @Test
  void onlyTheFirstViaValueCounts_rfc3261section7_3_1() throws Exception {
    SipHead head =
        SipHead.parse(
            "SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP a;branch=z9hG4bK-top , SIP/2.0/UDP b;branch=x\r\n"
                + "Via: SIP/2.0/UDP c;branch=y\r\nCSeq: 1 MESSAGE");

    assertThat(head.topViaBranch()).contains("z9hG4bK-top");
  }

  @Test
  void whiteSpaceAroundParameterSeparatorsAndFoldedLinesAreAccepted_rfc3261section7_3_1()
      throws Exception {
    SipHead head =
        SipHead.parse(
            "SIP/2.0 486 Busy Here\r\nVia: SIP/2.0/TCP a\r\n ; branch = z9hG4bK-f ;rport\r\n"
                + "Content-Length:\t3");

    assertThat(head.reason()).isEqualTo("Busy Here");
    assertThat(head.topViaBranch()).contains("z9hG4bK-f");
    assertThat(head.contentLength()).isEqualTo(3);
  }

  @Test
  void aProvisionalResponseIsNotFinal() throws Exception {
    assertThat(SipHead.parse("SIP/2.0 100 Trying\r\nCSeq: 1 MESSAGE").isFinalResponse()).isFalse();
  }

  @Test
  void aRequestLineIsRecognised() throws Exception {
    SipHead head = SipHead.parse("OPTIONS sip:gw.example SIP/2.0\r\nContent-Length: 0");

    assertThat(head.request()).isTrue();
    assertThat(head.status()).isZero();
    assertThat(head.isFinalResponse()).isFalse();
  }

  @Test
  void aMissingContentLengthIsZeroAndMissingHeadersAndReasonAreEmpty() throws Exception {
    SipHead head = SipHead.parse("SIP/2.0 200 ");

    assertThat(head.contentLength()).isZero();
    assertThat(head.topViaBranch()).isEmpty();
    assertThat(head.callId()).isEmpty();
    assertThat(head.reason()).isEmpty();
  }

  @Test
  void malformedStartLinesAndLengthsAreRefused() {
    for (String head :
        new String[] {
          "SIP/2.0 2x0 OK",
          "SIP/2.0 099 Low",
          "SIP/2.0 20",
          "SIP/2.0 200OK",
          "HELLO",
          "SIP/2.0 200 OK\r\nContent-Length: -1",
          "SIP/2.0 200 OK\r\nContent-Length: 1234567890",
          "SIP/2.0 200 OK\r\nno colon here"
        }) {
      assertThatThrownBy(() -> SipHead.parse(head))
          .as(head)
          .isInstanceOf(MalformedSipException.class);
    }
  }
}
