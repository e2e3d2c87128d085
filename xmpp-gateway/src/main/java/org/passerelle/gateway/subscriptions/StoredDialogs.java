package org.passerelle.gateway.subscriptions;

import java.time.Instant;
import java.util.List;
import org.passerelle.gateway.sip.DialogState;
import org.passerelle.gateway.sip.SubscribeRequest;
import org.passerelle.gateway.store.AuthorizationKey;
import org.passerelle.gateway.store.DialogId;
import org.passerelle.gateway.store.SipDialog;

/** Converts a SIP adapter's {@link DialogState} to the store's {@link SipDialog} and back. */
final class StoredDialogs {
  private StoredDialogs() {}

  static SipDialog toStored(DialogState dialog, AuthorizationKey key, Instant expires) {
    return SipDialog.builder(new DialogId(dialog.callId(), dialog.localTag()), key)
        .remoteTag(dialog.remoteTag())
        .localUri(dialog.localUri())
        .remoteUri(dialog.remoteUri())
        .remoteTarget(dialog.remoteTarget())
        .routeSet(dialog.routeSet())
        .localCseq(dialog.localCseq())
        .remoteCseq(dialog.remoteCseq())
        .expires(expires)
        .build();
  }

  /**
   * The dialog to resume; a presence dialog accepting PIDF, as all the gateway's are.
   *
   * @throws IllegalArgumentException if the stored dialog never got a remote tag or is not valid
   */
  static DialogState fromStored(SipDialog stored) {
    return new DialogState(
        stored.id().callId(),
        stored.localUri(),
        stored.id().localTag(),
        stored.remoteUri(),
        stored
            .remoteTag()
            .orElseThrow(() -> new IllegalArgumentException("dialog without a remote tag")),
        stored.localCseq(),
        stored.remoteCseq(),
        stored.routeSet(),
        stored.remoteTarget(),
        SubscribeRequest.PRESENCE,
        List.of(SubscribeRequest.PIDF));
  }

  static DialogId idOf(org.passerelle.gateway.sip.SubscriptionId id) {
    return new DialogId(id.callId(), id.localTag());
  }
}
