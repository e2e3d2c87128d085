package org.passerelle.gateway.store;

/**
 * What identifies a stored SIP dialog: its Call-ID and the gateway's own tag (RFC 3261 §12: the
 * dialog ID is Call-ID, local tag and remote tag). The remote tag is left out because a dialog is
 * stored before it is known, when the gateway sends the initial SUBSCRIBE; the gateway's tags are
 * unique per Call-ID.
 *
 * @param callId the Call-ID header value
 * @param localTag the gateway's tag: From tag of a dialog it started, To tag of one it accepted
 */
public record DialogId(String callId, String localTag) {

  public DialogId {
    StoredValues.text("callId", callId, StoredValues.MAX_CALL_ID_CHARS);
    StoredValues.text("localTag", localTag, StoredValues.MAX_TAG_CHARS);
  }

  @Override
  public String toString() {
    return callId + ";" + localTag;
  }
}
