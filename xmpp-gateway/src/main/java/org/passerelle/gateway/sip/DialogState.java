package org.passerelle.gateway.sip;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What identifies and routes one subscription dialog (RFC 3261 §12, RFC 6665 §4.1.2.2), as plain
 * values a store can keep: with it {@link SubscriptionClient#resume} (subscriber) or {@link
 * SubscriptionNotifier#resume} (notifier) re-creates the dialog after a restart. As subscriber,
 * take a fresh copy after each request in the dialog ({@link SubscribeOutcome#dialog()}), since the
 * CSeq and the remote target change; as notifier, on accept and on each refresh (the CSeq of later
 * NOTIFYs is covered by {@link SubscriptionNotifier#RESUME_CSEQ_GAP}).
 *
 * @param callId the Call-ID
 * @param localUri our address (From of our requests)
 * @param localTag our tag
 * @param remoteUri the peer's address (To of our requests)
 * @param remoteTag the peer's tag
 * @param localCseq the CSeq number of our last request in the dialog; the next one is higher
 * @param remoteCseq the CSeq number of the peer's last request in the dialog, if any came
 * @param routeSet the URIs of the Route headers of our requests, in order (RFC 3261 §12.1)
 * @param remoteTarget the Request-URI of our requests: the peer's last Contact (RFC 3261 §12.2)
 * @param event the event package, e.g. {@code presence}
 * @param accept the media types the subscriber accepts
 */
public record DialogState(
    String callId,
    String localUri,
    String localTag,
    String remoteUri,
    String remoteTag,
    long localCseq,
    OptionalLong remoteCseq,
    List<String> routeSet,
    String remoteTarget,
    String event,
    List<String> accept) {

  /** RFC 3261 §8.1.1.5: a CSeq number stays below 2^31. */
  static final long CSEQ_LIMIT = 1L << 31;

  public DialogState {
    Objects.requireNonNull(callId, "callId");
    SubscribeRequest.requireSipUri(localUri, "localUri");
    Objects.requireNonNull(localTag, "localTag");
    SubscribeRequest.requireSipUri(remoteUri, "remoteUri");
    Objects.requireNonNull(remoteTag, "remoteTag");
    if (localCseq < 0 || localCseq >= CSEQ_LIMIT) {
      throw new IllegalArgumentException("CSeq out of range (RFC 3261 §8.1.1.5): " + localCseq);
    }
    Objects.requireNonNull(remoteCseq, "remoteCseq");
    routeSet = List.copyOf(routeSet);
    for (String route : routeSet) {
      SubscribeRequest.requireSipUri(route, "route");
    }
    SubscribeRequest.requireSipUri(remoteTarget, "remoteTarget");
    Objects.requireNonNull(event, "event");
    accept = List.copyOf(accept);
  }

  /** The dialog's name at this endpoint. */
  public SubscriptionId id() {
    return new SubscriptionId(callId, localTag);
  }
}
