package org.passerelle.gateway.sip;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The dialog state of one subscription (RFC 3261 §12, RFC 6665 §4.1.2.2, §4.2.1): who we are, who
 * the peer is, how to reach it and the CSeq numbers on each side. Mutable and not thread-safe: its
 * owner ({@link ClientSubscription}, {@link ServerSubscription}) guards it.
 *
 * <p>A subscriber's dialog is incomplete until the first 2xx or NOTIFY gives the remote tag, route
 * set and remote target; a notifier's dialog is complete from the start.
 */
final class EventDialog {

  private final String callId;
  private final String localUri;
  private final String localTag;
  private final String remoteUri;
  private final String event;
  private final List<String> accept;
  private String remoteTag;
  private long localCseq;
  private long remoteCseq = -1;
  private List<String> routeSet = List.of();
  private String remoteTarget;

  private EventDialog(
      String callId,
      String localUri,
      String localTag,
      String remoteUri,
      long localCseq,
      String event,
      List<String> accept) {
    this.callId = Objects.requireNonNull(callId, "callId");
    this.localUri = Objects.requireNonNull(localUri, "localUri");
    this.localTag = Objects.requireNonNull(localTag, "localTag");
    this.remoteUri = Objects.requireNonNull(remoteUri, "remoteUri");
    this.localCseq = localCseq;
    this.event = Objects.requireNonNull(event, "event");
    this.accept = List.copyOf(accept);
  }

  /** A subscriber's dialog before its SUBSCRIBE leaves: CSeq 1 goes to that SUBSCRIBE. */
  static EventDialog subscriber(SubscriptionId id, SubscribeRequest request) {
    return new EventDialog(
        id.callId(),
        request.watcher(),
        id.localTag(),
        request.presentity(),
        1,
        request.event(),
        request.accept());
  }

  /**
   * A notifier's dialog, made from the SUBSCRIBE that creates it (RFC 3261 §12.1.1: the route set
   * is its Record-Route in order, the remote target its Contact).
   */
  static EventDialog notifier(
      SubscriptionId id,
      String presentity,
      String watcher,
      String watcherTag,
      long subscribeCseq,
      List<String> recordRoute,
      String contact,
      String event,
      List<String> accept) {
    EventDialog d =
        new EventDialog(id.callId(), presentity, id.localTag(), watcher, 0, event, accept);
    d.remoteTag = Objects.requireNonNull(watcherTag, "watcherTag");
    d.remoteCseq = subscribeCseq;
    d.routeSet = List.copyOf(recordRoute);
    d.remoteTarget = Objects.requireNonNull(contact, "contact");
    return d;
  }

  /** A dialog as persisted. */
  static EventDialog of(DialogState s) {
    EventDialog d =
        new EventDialog(
            s.callId(),
            s.localUri(),
            s.localTag(),
            s.remoteUri(),
            s.localCseq(),
            s.event(),
            s.accept());
    d.remoteTag = s.remoteTag();
    d.remoteCseq = s.remoteCseq().orElse(-1);
    d.routeSet = s.routeSet();
    d.remoteTarget = s.remoteTarget();
    return d;
  }

  SubscriptionId id() {
    return new SubscriptionId(callId, localTag);
  }

  String callId() {
    return callId;
  }

  String localUri() {
    return localUri;
  }

  String localTag() {
    return localTag;
  }

  String remoteUri() {
    return remoteUri;
  }

  String event() {
    return event;
  }

  List<String> accept() {
    return accept;
  }

  /** The peer's tag, once known. */
  Optional<String> remoteTag() {
    return Optional.ofNullable(remoteTag);
  }

  List<String> routeSet() {
    return routeSet;
  }

  /** The Request-URI of our requests, once known. */
  Optional<String> remoteTarget() {
    return Optional.ofNullable(remoteTarget);
  }

  /** The CSeq number of the request last built in the dialog. */
  long localCseq() {
    return localCseq;
  }

  /** Whether requests can be sent in the dialog: remote tag and target are known. */
  boolean established() {
    return remoteTag != null && remoteTarget != null;
  }

  /**
   * Completes a subscriber's dialog from the first 2xx or NOTIFY that arrives (RFC 6665 §4.1.2.4:
   * either may come first); later calls change nothing.
   *
   * @param routeSet in the order of our Route headers: reversed Record-Route of a 2xx (RFC 3261
   *     §12.1.2), or as received in a NOTIFY (§12.1.1)
   */
  void establish(String remoteTag, List<String> routeSet, String remoteTarget) {
    if (established()) {
      return;
    }
    this.remoteTag = Objects.requireNonNull(remoteTag, "remoteTag");
    this.routeSet = List.copyOf(routeSet);
    this.remoteTarget = Objects.requireNonNull(remoteTarget, "remoteTarget");
  }

  /** A target refresh (RFC 3261 §12.2; RFC 6665 §4.1.3 and §4.2.1: SUBSCRIBE, NOTIFY, 2xx). */
  void refreshTarget(String contact) {
    if (established()) {
      this.remoteTarget = Objects.requireNonNull(contact, "contact");
    }
  }

  /**
   * Takes the CSeq of a request the peer sent in the dialog.
   *
   * @return false if it is lower than the last one: out of order, to be refused with 500 (RFC 3261
   *     §12.2.2)
   */
  boolean acceptRemoteCseq(long cseq) {
    if (remoteCseq >= 0 && cseq < remoteCseq) {
      return false;
    }
    remoteCseq = cseq;
    return true;
  }

  /**
   * Moves our CSeq {@code gap} numbers ahead, past requests sent after the state was persisted.
   *
   * @throws IllegalArgumentException if our next request's CSeq would reach {@link
   *     DialogState#CSEQ_LIMIT}
   */
  void skipLocalCseq(long gap) {
    if (gap < 0 || localCseq + gap + 1 >= DialogState.CSEQ_LIMIT) {
      throw new IllegalArgumentException(
          "CSeq "
              + localCseq
              + " cannot move "
              + gap
              + " ahead and stay below 2^31 (RFC 3261 §8.1.1.5) in "
              + id());
    }
    localCseq += gap;
  }

  /** The CSeq number for our next request (RFC 3261 §12.2.1.1: one more than the last). */
  long nextCseq() {
    localCseq = localCseq + 1 >= DialogState.CSEQ_LIMIT ? 1 : localCseq + 1;
    return localCseq;
  }

  /** The state to persist, once established. */
  Optional<DialogState> snapshot() {
    if (!established()) {
      return Optional.empty();
    }
    return Optional.of(
        new DialogState(
            callId,
            localUri,
            localTag,
            remoteUri,
            remoteTag,
            localCseq,
            remoteCseq < 0 ? OptionalLong.empty() : OptionalLong.of(remoteCseq),
            routeSet,
            remoteTarget,
            event,
            accept));
  }
}
