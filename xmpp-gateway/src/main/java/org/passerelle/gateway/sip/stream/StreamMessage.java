package org.passerelle.gateway.sip.stream;

/**
 * One SIP message framed from a stream: its head, and its bytes when something beyond the head is
 * needed (requests, and responses other than 1xx and 2xx, which are read in full).
 *
 * @param head the start line and framing headers
 * @param bytes the whole message, or {@code null} when the head says all that is needed
 */
record StreamMessage(SipHead head, byte[] bytes) {

  /** Whether the message is read from its head alone (RFC 3261 §7.2: 1xx and 2xx). */
  static boolean headSuffices(SipHead head) {
    return !head.request() && head.status() < 300;
  }
}
