package org.passerelle.bench.load;

/** The few responses the SIP side of the tool writes (RFC 3261 §8.2.6). */
final class SipResponses {
  private SipResponses() {}

  /** A final response to {@code request}: its Via, From, Call-ID and CSeq, a To with a tag. */
  static String response(SipFrame request, int status, String reason) {
    String to = request.header("To", "t");
    if (to != null && !to.contains(";tag=")) {
      to = to + ";tag=sink";
    }
    return response(request, status, reason, to);
  }

  /** As {@link #response(SipFrame, int, String)}, with the To header (and its tag) given. */
  static String response(SipFrame request, int status, String reason, String to) {
    return "SIP/2.0 "
        + status
        + ' '
        + reason
        + "\r\n"
        + request.headerLines("Via", "v")
        + "From: "
        + request.header("From", "f")
        + "\r\nTo: "
        + to
        + "\r\nCall-ID: "
        + request.header("Call-ID", "i")
        + "\r\nCSeq: "
        + request.header("CSeq", null)
        + "\r\nContent-Length: 0\r\n\r\n";
  }
}
