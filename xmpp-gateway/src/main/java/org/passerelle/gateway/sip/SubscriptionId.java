package org.passerelle.gateway.sip;

import java.util.Objects;

/**
 * Names one subscription dialog of this endpoint, in either role: its Call-ID and the tag we chose
 * (our From tag as subscriber, our To tag as notifier). Our tags are random, so the pair is unique
 * among our dialogs (RFC 3261 §12: a dialog is Call-ID plus both tags; the remote tag is not needed
 * to tell ours apart).
 *
 * @param callId the Call-ID of the dialog
 * @param localTag the tag this endpoint chose
 */
public record SubscriptionId(String callId, String localTag) {

  public SubscriptionId {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(localTag, "localTag");
    if (callId.isEmpty() || localTag.isEmpty()) {
      throw new IllegalArgumentException("Call-ID and tag must not be empty");
    }
  }

  @Override
  public String toString() {
    return callId + ";tag=" + localTag;
  }
}
