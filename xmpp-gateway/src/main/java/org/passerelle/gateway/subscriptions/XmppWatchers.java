package org.passerelle.gateway.subscriptions;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.passerelle.gateway.presence.PidfException;
import org.passerelle.gateway.presence.PidfReader;
import org.passerelle.gateway.presence.PresenceState;
import org.passerelle.gateway.sip.DialogState;
import org.passerelle.gateway.sip.Notification;
import org.passerelle.gateway.sip.SubscribeOutcome;
import org.passerelle.gateway.sip.SubscribeRequest;
import org.passerelle.gateway.sip.SubscriptionClient;
import org.passerelle.gateway.sip.SubscriptionEnd;
import org.passerelle.gateway.sip.SubscriptionId;
import org.passerelle.gateway.sip.TerminationReason;
import org.passerelle.gateway.store.Authorization;
import org.passerelle.gateway.store.AuthorizationKey;
import org.passerelle.gateway.store.SipDialog;
import org.passerelle.gateway.store.StoredSubscription;
import org.passerelle.gateway.store.SubscriptionStore;
import org.passerelle.gateway.subscriptions.PresenceSender.Type;
import org.passerelle.gateway.timers.Deadlines;
import org.passerelle.model.address.AddressMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remote XMPP contacts watching local SIP users (RFC 8048 §5.2, §7.1): the gateway SUBSCRIBEs to
 * the SIP user for the contact, tells the contact {@code subscribed} on the first {@code active}
 * NOTIFY, turns each NOTIFY's PIDF into {@code <presence/>}, refreshes before expiry, answers
 * probes from the last NOTIFY (or a one-time fetch) and ends the dialog on {@code unsubscribe}.
 * Confined to the presence thread.
 *
 * <p>What a {@code terminated} NOTIFY or a failed SUBSCRIBE means for the authorisation follows
 * standards.md §2: 403, 489 and 603 (and 404, 410, 484, 604: no such user) and the reasons {@code
 * rejected} and {@code noresource} cancel it ({@code unsubscribed}); anything else is transient and
 * the gateway subscribes again after a backoff, keeping the authorisation.
 */
final class XmppWatchers {
  private static final Logger LOG = LoggerFactory.getLogger(XmppWatchers.class);

  /** Answers after which the SIP side will not let the contact watch (RFC 8048 §5.2.2). */
  private static final Set<Integer> PERMANENT = Set.of(403, 404, 410, 484, 489, 603, 604);

  private final SubscriptionClient sip;
  private final SubscriptionStore store;
  private final PresenceSender xmpp;
  private final PidfReader pidf;
  private final Flow flow;
  private final DialogWrites dialogWrites;
  private final Duration lifetime;
  private final Duration refreshFloor;
  private final Clock clock;

  private final Map<AuthorizationKey, Watch> watches = new HashMap<>();
  private final Map<SubscriptionId, Watch> byDialog = new HashMap<>();
  private final Map<SubscriptionId, AuthorizationKey> fetches = new HashMap<>();
  private final Deadlines<Watch> timers;

  /** What a watch waits for. */
  private enum Timer {
    NONE,
    REFRESH,
    RETRY
  }

  /** One contact watching one SIP user: its authorisation and its current dialog, if any. */
  private static final class Watch {
    final AuthorizationKey key;
    boolean granted;
    SubscriptionId dialog;
    PresenceState last;

    /** What to do at {@link #due}: nothing, refresh the dialog, or subscribe again. */
    Timer timer = Timer.NONE;

    /** When {@link #timer} is due, in the time of {@link #timers}. */
    long due;

    int failures;

    Watch(AuthorizationKey key, boolean granted) {
      this.key = key;
      this.granted = granted;
    }
  }

  /**
   * @param refreshFloor the least time before expiry a refresh is sent: Timer N, so that the
   *     refresh's transaction can end before the subscription does
   */
  XmppWatchers(
      SubscriptionClient sip,
      SubscriptionStore store,
      PresenceSender xmpp,
      PidfReader pidf,
      PresenceLoop loop,
      DialogWrites dialogWrites,
      Duration lifetime,
      Duration refreshFloor,
      Clock clock) {
    this.sip = sip;
    this.store = store;
    this.xmpp = xmpp;
    this.pidf = pidf;
    this.flow = new Flow(loop);
    this.dialogWrites = dialogWrites;
    this.lifetime = lifetime;
    this.refreshFloor = refreshFloor;
    this.clock = clock;
    this.timers = loop.deadlines(this::onTimer);
  }

  /** How many contacts are watched (granted or pending), for metrics and tests. */
  int size() {
    return watches.size();
  }

  /** How many of them the SIP side has authorised. */
  int granted() {
    int granted = 0;
    for (Watch watch : watches.values()) {
      if (watch.granted) {
        granted++;
      }
    }
    return granted;
  }

  // XMPP → SIP

  /** {@code <presence type='subscribe'/>} from the contact to the SIP user (RFC 8048 §5.2.1). */
  void onSubscribe(AuthorizationKey key) {
    Watch known = watches.get(key);
    if (known != null) {
      onRepeatedRequest(known);
      return;
    }
    flow.then(
        store.authorization(key),
        "reading " + key,
        stored -> {
          Watch again = watches.get(key);
          if (again != null) {
            onRepeatedRequest(again);
          } else if (stored.isPresent()) {
            onRepeatedRequest(track(key, stored.get().isGranted()));
          } else {
            Watch watch = track(key, false);
            LOG.info("{}: subscription request, asking the SIP side", key);
            flow.then(
                store.putAuthorization(Authorization.requested(key, clock.instant())),
                "storing " + key,
                stored2 -> ensureDialog(watch),
                error -> {
                  LOG.warn("{}: request not stored ({}); refused", key, error.getMessage());
                  untrack(watch);
                  xmpp.send(Type.UNSUBSCRIBED, key.localJid(), key.remoteJid());
                });
          }
        });
  }

  private void onRepeatedRequest(Watch watch) {
    if (watch.granted) {
      // RFC 6121 §3.1.3: already authorised, so the contact's server answers at once.
      xmpp.send(Type.SUBSCRIBED, watch.key.localJid(), watch.key.remoteJid());
      if (watch.last != null) {
        xmpp.send(watch.last, watch.key.localJid(), watch.key.remoteJid());
      }
    }
    ensureDialog(watch);
  }

  /** {@code <presence type='unsubscribe'/>}: SUBSCRIBE Expires: 0, then {@code unsubscribed}. */
  void onUnsubscribe(AuthorizationKey key) {
    Watch watch = watches.remove(key);
    if (watch != null) {
      cancelTimer(watch);
      if (watch.dialog != null) {
        SubscriptionId id = watch.dialog;
        byDialog.remove(id);
        watch.dialog = null;
        flow.then(
            sip.unsubscribe(id),
            "unsubscribing " + id,
            outcome -> LOG.debug("{}: unsubscribe answered {}", id, outcome.response()));
      }
    }
    flow.then(
        store.deleteAuthorization(key),
        "deleting " + key,
        existed -> {
          if (existed || watch != null) {
            LOG.info("{}: the contact unsubscribed", key);
            // RFC 8048 §5.2.3: unsubscribed once the dialog is ended; RFC 6121 §3.3.3: the
            // contact's resources go unavailable for the user.
            xmpp.send(Type.UNAVAILABLE, key.localJid(), key.remoteJid());
            xmpp.send(Type.UNSUBSCRIBED, key.localJid(), key.remoteJid());
          }
        });
  }

  /** {@code <presence type='probe'/>}: the last known state, else a one-time fetch (§7.1). */
  void onProbe(AuthorizationKey key) {
    Watch known = watches.get(key);
    if (known != null) {
      answerProbe(known);
      return;
    }
    flow.then(
        store.authorization(key),
        "reading " + key,
        stored -> {
          Watch again = watches.get(key);
          if (again != null) {
            answerProbe(again);
          } else if (stored.isEmpty()) {
            // RFC 6121 §4.3.2: no authorisation, so no presence; unsubscribed says so.
            xmpp.send(Type.UNSUBSCRIBED, key.localJid(), key.remoteJid());
          } else {
            Watch watch = track(key, stored.get().isGranted());
            ensureDialog(watch);
            answerProbe(watch);
          }
        });
  }

  private void answerProbe(Watch watch) {
    if (!watch.granted) {
      return;
    }
    if (watch.last != null) {
      xmpp.send(watch.last, watch.key.localJid(), watch.key.remoteJid());
    } else {
      fetch(watch.key);
    }
  }

  // SIP → XMPP

  /** A NOTIFY in one of our subscriptions or fetches. */
  void onNotification(Notification notification) {
    SubscriptionId id = notification.subscription();
    AuthorizationKey fetched = fetches.get(id);
    if (fetched != null) {
      fetches.remove(id);
      onFetched(fetched, notification);
      return;
    }
    Watch watch = byDialog.get(id);
    if (watch == null) {
      LOG.debug("{} for a subscription no longer wanted", notification);
      return;
    }
    switch (notification.state()) {
      case PENDING -> {} // RFC 8048 §5.2.1: nothing for XMPP until the SIP side decides
      case ACTIVE -> {
        if (!watch.granted) {
          grant(watch);
        }
        publish(watch, notification);
      }
      case TERMINATED -> onTerminated(watch, notification);
    }
  }

  /** A subscription ended without a terminated NOTIFY: transient, subscribe again. */
  void onEnded(SubscriptionId id, SubscriptionEnd end) {
    if (fetches.remove(id) != null) {
      return;
    }
    Watch watch = byDialog.get(id);
    if (watch != null) {
      LOG.info("{}: subscription {} ended ({}); subscribing again", watch.key, id, end);
      forgetDialog(watch, id);
      retryLater(watch);
    }
  }

  private void grant(Watch watch) {
    watch.granted = true;
    LOG.info("{}: authorised by the SIP side", watch.key);
    flow.then(
        store.putAuthorization(Authorization.granted(watch.key, clock.instant())),
        "storing " + watch.key,
        stored -> {});
    xmpp.send(Type.SUBSCRIBED, watch.key.localJid(), watch.key.remoteJid());
  }

  private void publish(Watch watch, Notification notification) {
    Optional<PresenceState> state = read(notification);
    if (state.isEmpty() || state.get().equals(watch.last)) {
      return; // no body (state unknown, RFC 8048 §5.2.1), or no change (a refresh's NOTIFY)
    }
    watch.last = state.get();
    xmpp.send(watch.last, watch.key.localJid(), watch.key.remoteJid());
  }

  private void onTerminated(Watch watch, Notification notification) {
    forgetDialog(watch, notification.subscription());
    TerminationReason reason = notification.reason().orElse(null);
    if (reason == TerminationReason.REJECTED || reason == TerminationReason.NORESOURCE) {
      cancelAuthorization(watch, "terminated;reason=" + reason.token());
      return;
    }
    if (watch.granted) {
      publish(watch, notification);
    }
    if (reason == TerminationReason.INVARIANT) {
      return; // the state will not change: keep the last one, never retry (RFC 6665 §4.1.3)
    }
    if (reason == TerminationReason.DEACTIVATED) {
      subscribe(watch); // moved elsewhere: at once
      return;
    }
    if ((reason == TerminationReason.PROBATION || reason == TerminationReason.GIVEUP)
        && watch.last != null
        && watch.last.isAvailable()) {
      watch.last = PresenceState.unavailable().build();
      xmpp.send(watch.last, watch.key.localJid(), watch.key.remoteJid());
    }
    LOG.info(
        "{}: subscription terminated ({}); subscribing again later",
        watch.key,
        reason == null ? "no reason" : reason.token());
    retryLater(watch, notification.retryAfter());
  }

  private void onFetched(AuthorizationKey key, Notification notification) {
    Watch watch = watches.get(key);
    if (watch == null || !watch.granted) {
      return;
    }
    // A probe is always answered: with no body the state is unknown, which XMPP calls offline.
    PresenceState state = read(notification).orElseGet(() -> PresenceState.unavailable().build());
    watch.last = state;
    xmpp.send(state, key.localJid(), key.remoteJid());
  }

  private Optional<PresenceState> read(Notification notification) {
    if (!notification.hasBody()) {
      return Optional.empty();
    }
    if (!notification.contentType().equals(SubscribeRequest.PIDF)) {
      LOG.debug("{}: body is not PIDF, ignored", notification);
      return Optional.empty();
    }
    try {
      return Optional.of(
          pidf.read(notification.body().getBytes(StandardCharsets.UTF_8)).mostAvailable());
    } catch (PidfException e) {
      LOG.info("{}: PIDF not understood: {}", notification, e.getMessage());
      return Optional.empty();
    }
  }

  // Dialogs

  private void ensureDialog(Watch watch) {
    if (watch.dialog == null) {
      cancelTimer(watch);
      subscribe(watch);
    }
  }

  private void subscribe(Watch watch) {
    if (watches.get(watch.key) != watch) {
      return; // cancelled meanwhile
    }
    SubscribeRequest request;
    try {
      request = request(watch.key).withExpires(lifetime);
    } catch (RuntimeException e) {
      LOG.warn("{}: no SIP subscription possible: {}", watch.key, e.getMessage());
      cancelAuthorization(watch, "addresses not translatable");
      return;
    }
    SubscriptionId id = sip.newSubscriptionId();
    watch.dialog = id;
    byDialog.put(id, watch);
    LOG.debug("{}: subscribing as {}", watch.key, id);
    CompletionStage<SubscribeOutcome> sent;
    try {
      sent = sip.subscribe(id, request);
    } catch (RuntimeException e) {
      onDialogFailed(watch, id, e);
      return;
    }
    flow.then(
        sent,
        "SUBSCRIBE " + id,
        outcome -> onSubscribeOutcome(watch, id, outcome),
        error -> onDialogFailed(watch, id, error));
  }

  private void onSubscribeOutcome(Watch watch, SubscriptionId id, SubscribeOutcome outcome) {
    if (!id.equals(watch.dialog)) {
      return; // superseded: unsubscribed, or terminated by a NOTIFY that came first
    }
    if (outcome.isSuccess() && outcome.alive()) {
      save(watch, outcome);
      scheduleRefresh(watch, id, outcome.expires().orElse(lifetime));
      return;
    }
    int code = outcome.response().statusCode();
    forgetDialog(watch, id);
    if (PERMANENT.contains(code)) {
      cancelAuthorization(watch, "SUBSCRIBE answered " + code);
    } else {
      LOG.info("{}: SUBSCRIBE answered {}; trying again later", watch.key, code);
      retryLater(watch);
    }
  }

  private void onDialogFailed(Watch watch, SubscriptionId id, Throwable error) {
    if (!id.equals(watch.dialog)) {
      return;
    }
    LOG.info("{}: SUBSCRIBE failed ({}); trying again later", watch.key, error.getMessage());
    forgetDialog(watch, id);
    retryLater(watch);
  }

  private void scheduleRefresh(Watch watch, SubscriptionId id, Duration granted) {
    cancelTimer(watch);
    arm(watch, Timer.REFRESH, granted.minus(refreshMargin(granted)));
  }

  /** A tenth of the duration, but at least Timer N (or half of a short duration). */
  Duration refreshMargin(Duration granted) {
    Duration tenth = granted.dividedBy(10);
    Duration floor =
        granted.dividedBy(2).compareTo(refreshFloor) < 0 ? granted.dividedBy(2) : refreshFloor;
    return tenth.compareTo(floor) > 0 ? tenth : floor;
  }

  private void refresh(Watch watch, SubscriptionId id) {
    if (!id.equals(watch.dialog)) {
      return;
    }
    LOG.debug("{}: refreshing {}", watch.key, id);
    flow.then(
        sip.refresh(id, lifetime),
        "refresh of " + id,
        outcome -> {
          if (!id.equals(watch.dialog)) {
            return;
          }
          int code = outcome.response().statusCode();
          if (outcome.isSuccess() && outcome.alive()) {
            watch.failures = 0;
            save(watch, outcome);
            scheduleRefresh(watch, id, outcome.expires().orElse(lifetime));
          } else if (PERMANENT.contains(code)) {
            forgetDialog(watch, id);
            cancelAuthorization(watch, "refresh answered " + code);
          } else if (!outcome.alive()) {
            forgetDialog(watch, id); // 481 and the like: transient, start a new dialog
            subscribe(watch);
          } else {
            arm(watch, Timer.REFRESH, Backoff.FIRST);
          }
        },
        error -> {
          if (!id.equals(watch.dialog)) {
            return;
          }
          if (sip.dialogState(id).isEmpty()) {
            forgetDialog(watch, id);
            retryLater(watch);
          } else {
            // No answer: the subscription stands until it expires (RFC 6665 §4.1.2.2).
            arm(watch, Timer.REFRESH, Backoff.FIRST);
          }
        });
  }

  private void fetch(AuthorizationKey key) {
    SubscribeRequest request;
    try {
      request = request(key);
    } catch (RuntimeException e) {
      LOG.info("{}: probe not answered: {}", key, e.getMessage());
      return;
    }
    SubscriptionId id = sip.newSubscriptionId();
    fetches.put(id, key);
    CompletionStage<SubscribeOutcome> sent;
    try {
      sent = sip.fetch(id, request);
    } catch (RuntimeException e) {
      fetches.remove(id);
      LOG.info("{}: fetch failed: {}", key, e.getMessage());
      return;
    }
    flow.then(
        sent,
        "fetch " + id,
        outcome -> {
          if (!outcome.isSuccess()) {
            fetches.remove(id);
            LOG.info("{}: fetch answered {}", key, outcome.response());
          }
        },
        error -> {
          fetches.remove(id);
          LOG.info("{}: fetch failed: {}", key, error.getMessage());
        });
  }

  private void save(Watch watch, SubscribeOutcome outcome) {
    Optional<DialogState> dialog = outcome.dialog();
    if (dialog.isEmpty()) {
      return;
    }
    SipDialog stored =
        StoredDialogs.toStored(
            dialog.get(), watch.key, clock.instant().plus(outcome.expires().orElse(lifetime)));
    dialogWrites.save(stored);
  }

  private void forgetDialog(Watch watch, SubscriptionId id) {
    byDialog.remove(id);
    if (id.equals(watch.dialog)) {
      watch.dialog = null;
      cancelTimer(watch);
    }
    dialogWrites.delete(StoredDialogs.idOf(id));
  }

  private void retryLater(Watch watch) {
    retryLater(watch, Optional.empty());
  }

  private void retryLater(Watch watch, Optional<Duration> retryAfter) {
    cancelTimer(watch);
    Duration delay = retryAfter.orElseGet(() -> Backoff.after(++watch.failures));
    arm(watch, Timer.RETRY, delay);
  }

  private void cancelAuthorization(Watch watch, String why) {
    LOG.info("{}: authorisation ended by the SIP side: {}", watch.key, why);
    untrack(watch);
    flow.then(store.deleteAuthorization(watch.key), "deleting " + watch.key, existed -> {});
    if (watch.last != null && watch.last.isAvailable()) {
      xmpp.send(Type.UNAVAILABLE, watch.key.localJid(), watch.key.remoteJid());
    }
    xmpp.send(Type.UNSUBSCRIBED, watch.key.localJid(), watch.key.remoteJid());
  }

  private Watch track(AuthorizationKey key, boolean granted) {
    Watch watch = new Watch(key, granted);
    watches.put(key, watch);
    return watch;
  }

  private void untrack(Watch watch) {
    watches.remove(watch.key, watch);
    cancelTimer(watch);
    if (watch.dialog != null) {
      SubscriptionId id = watch.dialog;
      byDialog.remove(id);
      watch.dialog = null;
      if (sip.dialogState(id).isPresent()) {
        flow.then(sip.unsubscribe(id), "unsubscribing " + id, outcome -> {});
      }
    }
  }

  private static void cancelTimer(Watch watch) {
    watch.timer = Timer.NONE;
  }

  /** Sets the watch's one timer, replacing any earlier one. */
  private void arm(Watch watch, Timer timer, Duration delay) {
    watch.timer = timer;
    watch.due = timers.add(watch, delay);
  }

  /** A watch was handed over as due: runs its timer unless it was replaced or cancelled. */
  private void onTimer(Watch watch) {
    if (watch.timer == Timer.NONE || watch.due > timers.now()) {
      return;
    }
    Timer timer = watch.timer;
    watch.timer = Timer.NONE;
    switch (timer) {
      case REFRESH -> {
        // A refresh is armed for the current dialog only; forgetting it cancels the timer.
        if (watch.dialog != null) {
          refresh(watch, watch.dialog);
        }
      }
      case RETRY -> ensureDialog(watch);
      case NONE -> {}
    }
  }

  private static SubscribeRequest request(AuthorizationKey key) {
    return SubscribeRequest.presence(
        AddressMapper.toSipUri(key.localJid()).toString(),
        AddressMapper.toSipUri(key.remoteJid()).toString());
  }

  // Restart

  /**
   * Takes up a stored authorisation after a restart: resumes its stored dialog (a refresh in it),
   * or subscribes afresh if there is none or the SIP side no longer knows it. Completes on the
   * presence thread once the refresh is answered (or failed), at once if nothing was resumed, so
   * that the caller can bound the requests the SIP server has yet to answer.
   */
  CompletionStage<Void> restore(StoredSubscription stored) {
    AuthorizationKey key = stored.authorization().key();
    if (watches.containsKey(key)) {
      return CompletableFuture.completedFuture(null);
    }
    Watch watch = track(key, stored.authorization().isGranted());
    return resume(watch, stored.dialogs());
  }

  private CompletionStage<Void> resume(Watch watch, List<SipDialog> dialogs) {
    CompletableFuture<Void> answered = new CompletableFuture<>();
    for (SipDialog extra : dialogs.subList(Math.min(1, dialogs.size()), dialogs.size())) {
      dialogWrites.delete(extra.id());
    }
    if (dialogs.isEmpty()) {
      subscribe(watch);
      return CompletableFuture.completedFuture(null);
    }
    DialogState state;
    try {
      state = StoredDialogs.fromStored(dialogs.get(0));
    } catch (IllegalArgumentException e) {
      dialogWrites.delete(dialogs.get(0).id());
      subscribe(watch);
      return CompletableFuture.completedFuture(null);
    }
    SubscriptionId id = state.id();
    watch.dialog = id;
    byDialog.put(id, watch);
    CompletionStage<SubscribeOutcome> sent;
    try {
      sent = sip.resume(state, lifetime);
    } catch (RuntimeException e) {
      onResumeFailed(watch, id, e);
      return CompletableFuture.completedFuture(null);
    }
    flow.then(
        sent,
        "resuming " + id,
        outcome -> {
          answered.complete(null);
          if (!id.equals(watch.dialog)) {
            return;
          }
          if (outcome.isSuccess() && outcome.alive()) {
            LOG.debug("{}: resumed {}", watch.key, id);
            save(watch, outcome);
            scheduleRefresh(watch, id, outcome.expires().orElse(lifetime));
          } else if (PERMANENT.contains(outcome.response().statusCode())) {
            forgetDialog(watch, id);
            cancelAuthorization(watch, "refresh answered " + outcome.response().statusCode());
          } else {
            onResumeFailed(watch, id, new IllegalStateException(outcome.response().toString()));
          }
        },
        error -> {
          answered.complete(null);
          onResumeFailed(watch, id, error);
        });
    return answered;
  }

  private void onResumeFailed(Watch watch, SubscriptionId id, Throwable error) {
    if (!id.equals(watch.dialog)) {
      return;
    }
    LOG.info("{}: {} not resumed ({}); subscribing afresh", watch.key, id, error.getMessage());
    forgetDialog(watch, id);
    subscribe(watch);
  }
}
