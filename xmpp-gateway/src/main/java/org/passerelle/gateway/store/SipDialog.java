package org.passerelle.gateway.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The SIP side of an authorisation: the state of one SUBSCRIBE dialog (RFC 3261 §12.1, RFC 6665
 * §4.1, §4.2), enough to send the next request in it after a restart. Header values are kept as the
 * SIP adapter writes them, as plain strings.
 *
 * <p>For {@link Direction#XMPP_WATCHES_SIP} the gateway is the subscriber: it sent the SUBSCRIBE
 * and refreshes the dialog before {@link #expires()} (RFC 8048 §5.2.2). For {@link
 * Direction#SIP_WATCHES_XMPP} the SIP watcher created the dialog: the gateway sends NOTIFYs in it
 * until it expires, and the watcher refreshes it. A SIP user with several devices has one dialog
 * per device for the same authorisation.
 *
 * @param id Call-ID and the gateway's tag
 * @param authorization the authorisation this dialog carries; deleting it deletes the dialog
 * @param remoteTag the peer's tag; empty until a response or NOTIFY carries one
 * @param localUri the gateway's URI in the dialog (From of the requests it sends)
 * @param remoteUri the peer's URI in the dialog (To of the requests it sends)
 * @param remoteTarget the peer's Contact URI, the Request-URI of the next request
 * @param routeSet the Route header values of the next request, in order (RFC 3261 §12.1.1)
 * @param localCseq the CSeq number of the last request the gateway sent in the dialog
 * @param remoteCseq the CSeq number of the last request the peer sent; empty before the first
 * @param expires when the subscription ends unless refreshed (RFC 6665 §4.1.2.1)
 */
public record SipDialog(
    DialogId id,
    AuthorizationKey authorization,
    Optional<String> remoteTag,
    String localUri,
    String remoteUri,
    String remoteTarget,
    List<String> routeSet,
    long localCseq,
    OptionalLong remoteCseq,
    Instant expires) {

  /** Largest CSeq number: RFC 3261 §8.1.1.5, a 32-bit unsigned integer. */
  public static final long MAX_CSEQ = 0xFFFF_FFFFL;

  public SipDialog {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(authorization, "authorization");
    remoteTag.ifPresent(tag -> StoredValues.text("remoteTag", tag, StoredValues.MAX_TAG_CHARS));
    StoredValues.text("localUri", localUri, StoredValues.MAX_URI_CHARS);
    StoredValues.text("remoteUri", remoteUri, StoredValues.MAX_URI_CHARS);
    StoredValues.text("remoteTarget", remoteTarget, StoredValues.MAX_URI_CHARS);
    routeSet = List.copyOf(routeSet);
    for (String route : routeSet) {
      StoredValues.text("routeSet entry", route, StoredValues.MAX_URI_CHARS);
      StoredValues.singleLine("routeSet entry", route);
    }
    StoredValues.bounded("routeSet", String.join("\n", routeSet), StoredValues.MAX_ROUTE_SET_CHARS);
    checkCseq("localCseq", localCseq);
    remoteCseq.ifPresent(cseq -> checkCseq("remoteCseq", cseq));
    expires = expires.truncatedTo(ChronoUnit.MILLIS);
  }

  /** A dialog with only the fields every dialog has; set the others on the builder. */
  public static Builder builder(DialogId id, AuthorizationKey authorization) {
    return new Builder(id, authorization);
  }

  /** A builder holding this dialog's fields, e.g. to record a refresh. */
  public Builder toBuilder() {
    return new Builder(id, authorization)
        .remoteTag(remoteTag)
        .localUri(localUri)
        .remoteUri(remoteUri)
        .remoteTarget(remoteTarget)
        .routeSet(routeSet)
        .localCseq(localCseq)
        .remoteCseq(remoteCseq)
        .expires(expires);
  }

  /** Who watches whom in this dialog; the same as its authorisation's. */
  public Direction direction() {
    return authorization.direction();
  }

  private static void checkCseq(String name, long cseq) {
    if (cseq < 0 || cseq > MAX_CSEQ) {
      throw new IllegalArgumentException(name + " must be within [0, 2^32 - 1]: " + cseq);
    }
  }

  /** Collects the fields of a {@link SipDialog}; {@link #build()} checks them. */
  public static final class Builder {
    private final DialogId id;
    private final AuthorizationKey authorization;
    private Optional<String> remoteTag = Optional.empty();
    private String localUri;
    private String remoteUri;
    private String remoteTarget;
    private List<String> routeSet = List.of();
    private long localCseq;
    private OptionalLong remoteCseq = OptionalLong.empty();
    private Instant expires;

    private Builder(DialogId id, AuthorizationKey authorization) {
      this.id = Objects.requireNonNull(id, "id");
      this.authorization = Objects.requireNonNull(authorization, "authorization");
    }

    public Builder remoteTag(Optional<String> remoteTag) {
      this.remoteTag = Objects.requireNonNull(remoteTag, "remoteTag");
      return this;
    }

    public Builder remoteTag(String remoteTag) {
      return remoteTag(Optional.of(remoteTag));
    }

    public Builder localUri(String localUri) {
      this.localUri = localUri;
      return this;
    }

    public Builder remoteUri(String remoteUri) {
      this.remoteUri = remoteUri;
      return this;
    }

    public Builder remoteTarget(String remoteTarget) {
      this.remoteTarget = remoteTarget;
      return this;
    }

    /** Route header values in order; none by default. */
    public Builder routeSet(List<String> routeSet) {
      this.routeSet = Objects.requireNonNull(routeSet, "routeSet");
      return this;
    }

    public Builder localCseq(long localCseq) {
      this.localCseq = localCseq;
      return this;
    }

    public Builder remoteCseq(OptionalLong remoteCseq) {
      this.remoteCseq = Objects.requireNonNull(remoteCseq, "remoteCseq");
      return this;
    }

    public Builder remoteCseq(long remoteCseq) {
      return remoteCseq(OptionalLong.of(remoteCseq));
    }

    public Builder expires(Instant expires) {
      this.expires = expires;
      return this;
    }

    public SipDialog build() {
      Objects.requireNonNull(expires, "expires");
      return new SipDialog(
          id,
          authorization,
          remoteTag,
          localUri,
          remoteUri,
          remoteTarget,
          routeSet,
          localCseq,
          remoteCseq,
          expires);
    }
  }
}
