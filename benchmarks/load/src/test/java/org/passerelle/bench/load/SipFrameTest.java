package org.passerelle.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SipFrameTest {
  private final SipFrame frame =
      new SipFrame(
          "NOTIFY sip:a@b SIP/2.0",
          "Via: SIP/2.0/TCP 1.2.3.4;branch=z9hG4bK1\r\n"
              + "v: SIP/2.0/TCP 5.6.7.8;branch=z9hG4bK2\r\n"
              + "To-Do: not a To\r\n"
              + " to : <sip:c@d>;tag=x\r\n"
              + "CSeq: 7 NOTIFY",
          "");

  @Test
  void findsEveryLineOfAHeaderByNameOrCompactFormInOrder() {
    assertEquals(
        "Via: SIP/2.0/TCP 1.2.3.4;branch=z9hG4bK1\r\nVia: SIP/2.0/TCP 5.6.7.8;branch=z9hG4bK2\r\n",
        frame.headerLines("Via", "v"));
  }

  @Test
  void matchesNamesWithoutRegardToCaseOrSurroundingBlanksButWhole() {
    assertEquals("<sip:c@d>;tag=x", frame.header("To", "t"));
    assertEquals("7 NOTIFY", frame.header("CSeq", null));
    assertNull(frame.header("Call-ID", "i"));
  }
}
