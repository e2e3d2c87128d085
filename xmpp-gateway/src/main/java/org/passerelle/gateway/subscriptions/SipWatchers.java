package org.passerelle.gateway.subscriptions;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.dom4j.Element;
import org.passerelle.gateway.presence.PidfException;
import org.passerelle.gateway.presence.PidfReader;
import org.passerelle.gateway.presence.PidfWriter;
import org.passerelle.gateway.presence.PresenceStanzas;
import org.passerelle.gateway.presence.PresenceState;
import org.passerelle.gateway.sip.DialogState;
import org.passerelle.gateway.sip.IncomingSubscription;
import org.passerelle.gateway.sip.OutgoingNotification;
import org.passerelle.gateway.sip.SubscribeRequest;
import org.passerelle.gateway.sip.SubscriptionEnd;
import org.passerelle.gateway.sip.SubscriptionId;
import org.passerelle.gateway.sip.SubscriptionNotifier;
import org.passerelle.gateway.sip.SubscriptionResponder;
import org.passerelle.gateway.sip.TerminationReason;
import org.passerelle.gateway.store.Authorization;
import org.passerelle.gateway.store.AuthorizationKey;
import org.passerelle.gateway.store.Direction;
import org.passerelle.gateway.store.LastPresence;
import org.passerelle.gateway.store.SipDialog;
import org.passerelle.gateway.store.StoredSubscription;
import org.passerelle.gateway.store.SubscriptionStore;
import org.passerelle.gateway.subscriptions.PresenceSender.Type;
import org.passerelle.model.Jids;
import org.passerelle.model.address.AddressMapper;
import org.passerelle.model.address.SipUri;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local SIP users watching remote XMPP contacts (RFC 8048 §5.3, §7.2): the gateway is the SIP
 * notifier. A new SUBSCRIBE is answered at once ({@code pending} while the contact has not
 * answered, RFC 8048 §5.3.1) and asks the contact with {@code <presence type='subscribe'/>}; the
 * contact's {@code subscribed} makes every dialog {@code active}, {@code unsubscribed} terminates
 * them with {@code reason=rejected}, and each {@code <presence/>} becomes a NOTIFY with the
 * contact's resources as PIDF tuples. Confined to the presence thread.
 *
 * <p>A SIP user with several devices has one dialog each for the same authorisation. Presence goes
 * only to the dialogs of the user it was addressed to (RFC 8048 §8.2).
 */
final class SipWatchers {
  private static final Logger LOG = LoggerFactory.getLogger(SipWatchers.class);

  private final SubscriptionNotifier sip;
  private final SubscriptionStore store;
  private final PresenceSender xmpp;
  private final PidfWriter writer;
  private final PidfReader reader;
  private final Flow flow;
  private final DialogWrites dialogWrites;
  private final PresenceWrites presenceWrites;
  private final Duration lifetime;
  private final Clock clock;
  private final Set<String> localDomains;

  private final Map<AuthorizationKey, Watcher> watchers = new HashMap<>();
  private final Map<SubscriptionId, Watcher> byDialog = new HashMap<>();
  private final ContactPresences contacts = new ContactPresences();

  /** One SIP user watching one contact: its authorisation and its dialogs (one per device). */
  private static final class Watcher {
    final AuthorizationKey key;
    boolean granted;

    /** In the order they came; a list, since one is the rule (a set costs ~150 bytes more). */
    final List<SubscriptionId> dialogs = new ArrayList<>(1);

    void addDialog(SubscriptionId id) {
      if (!dialogs.contains(id)) {
        dialogs.add(id);
      }
    }

    Watcher(AuthorizationKey key, boolean granted) {
      this.key = key;
      this.granted = granted;
    }
  }

  /** Why a SUBSCRIBE is refused before any state is looked at. */
  private record Refusal(int code, String phrase) {}

  SipWatchers(
      SubscriptionNotifier sip,
      SubscriptionStore store,
      PresenceSender xmpp,
      PidfWriter writer,
      PidfReader reader,
      PresenceLoop loop,
      DialogWrites dialogWrites,
      Duration lifetime,
      Clock clock,
      Set<String> localDomains) {
    this.sip = sip;
    this.store = store;
    this.xmpp = xmpp;
    this.writer = writer;
    this.reader = reader;
    this.flow = new Flow(loop);
    this.dialogWrites = dialogWrites;
    this.presenceWrites = new PresenceWrites(store, flow);
    this.lifetime = lifetime;
    this.clock = clock;
    this.localDomains = Set.copyOf(localDomains);
  }

  /** How many SIP users watch someone (granted or pending), for metrics and tests. */
  int size() {
    return watchers.size();
  }

  /** How many of them the XMPP contact has authorised. */
  int granted() {
    int granted = 0;
    for (Watcher watcher : watchers.values()) {
      if (watcher.granted) {
        granted++;
      }
    }
    return granted;
  }

  // SIP → XMPP

  /** A SUBSCRIBE from a SIP user for a remote XMPP address. */
  void onSubscribe(IncomingSubscription incoming, SubscriptionResponder responder) {
    switch (incoming.kind()) {
      case REFRESH -> onRefresh(incoming, responder);
      case UNSUBSCRIBE -> onCancel(incoming, responder);
      case NEW, POLL -> {
        AuthorizationKey key;
        try {
          key = keyOf(incoming);
        } catch (RefusalException e) {
          LOG.info("SUBSCRIBE {} refused: {} {}", incoming.id(), e.refusal.code, e.refusal.phrase);
          responder.reject(e.refusal.code, e.refusal.phrase);
          return;
        }
        if (incoming.kind() == IncomingSubscription.Kind.NEW) {
          onNew(incoming, key, responder);
        } else {
          onPoll(incoming, key, responder);
        }
      }
    }
  }

  private void onNew(
      IncomingSubscription incoming, AuthorizationKey key, SubscriptionResponder responder) {
    withWatcher(
        key,
        true,
        watcher -> {
          if (!watcher.granted && watcher.dialogs.isEmpty()) {
            // RFC 8048 §5.3.1: ask the contact; again if an earlier request went unanswered.
            xmpp.send(Type.SUBSCRIBE, key.localJid(), key.remoteJid());
          }
          Duration granted = shorter(incoming.expires(), lifetime);
          if (!accept(responder, incoming.id(), granted, current(watcher))) {
            return;
          }
          watcher.addDialog(incoming.id());
          byDialog.put(incoming.id(), watcher);
          save(watcher, incoming.id(), granted);
          LOG.info(
              "{}: SIP subscription {} accepted, {}",
              key,
              incoming.id(),
              watcher.granted ? "authorised" : "pending");
          if (watcher.granted && contacts.known(key.remoteJid()).isEmpty()) {
            xmpp.send(Type.PROBE, key.localJid(), key.remoteJid());
          }
        },
        () -> responder.reject(500, "Subscription store unavailable"));
  }

  private void onRefresh(IncomingSubscription incoming, SubscriptionResponder responder) {
    Watcher watcher = byDialog.get(incoming.id());
    if (watcher == null) {
      responder.reject(481, "Subscription does not exist");
      return;
    }
    Duration granted = shorter(incoming.expires(), lifetime);
    // RFC 8048 §5.3.2: a refresh is answered with the state, or an empty NOTIFY if unknown.
    if (accept(responder, incoming.id(), granted, current(watcher))) {
      save(watcher, incoming.id(), granted);
    }
  }

  private void onCancel(IncomingSubscription incoming, SubscriptionResponder responder) {
    Watcher watcher = byDialog.remove(incoming.id());
    String contact = watcher == null ? presentityJid(incoming) : watcher.key.remoteJid();
    // RFC 8048 §5.3.3: the last NOTIFY says closed.
    OutgoingNotification last =
        contact == null
            ? OutgoingNotification.terminated(TerminationReason.TIMEOUT)
            : OutgoingNotification.terminated(
                TerminationReason.TIMEOUT,
                SubscribeRequest.PIDF,
                writer.write(sipUri(contact), PresenceState.unavailable().build()));
    accept(responder, incoming.id(), Duration.ZERO, last);
    dialogWrites.delete(StoredDialogs.idOf(incoming.id()));
    if (watcher != null) {
      watcher.dialogs.remove(incoming.id());
      LOG.info("{}: SIP subscription {} cancelled", watcher.key, incoming.id());
      if (watcher.dialogs.isEmpty() && watcher.granted) {
        // RFC 8048 §5.3.3: the contact is told, and the authorisation stays.
        xmpp.send(Type.UNAVAILABLE, watcher.key.localJid(), watcher.key.remoteJid());
      }
    }
  }

  private void onPoll(
      IncomingSubscription incoming, AuthorizationKey key, SubscriptionResponder responder) {
    withWatcher(
        key,
        false,
        watcher -> {
          Optional<List<PresenceState>> known =
              watcher == null || !watcher.granted
                  ? Optional.empty()
                  : contacts.known(key.remoteJid());
          OutgoingNotification state =
              known
                  .map(
                      states ->
                          OutgoingNotification.terminated(
                              TerminationReason.TIMEOUT,
                              SubscribeRequest.PIDF,
                              writer.write(sipUri(key.remoteJid()), states)))
                  .orElseGet(() -> OutgoingNotification.terminated(TerminationReason.TIMEOUT));
          accept(responder, incoming.id(), Duration.ZERO, state);
          if (watcher != null && watcher.granted && known.isEmpty()) {
            // RFC 8048 §7.2: the state is fetched for next time.
            xmpp.send(Type.PROBE, key.localJid(), key.remoteJid());
          }
        },
        () -> responder.reject(500, "Subscription store unavailable"));
  }

  /** A subscription timed out or its watcher became unreachable. */
  void onEnded(SubscriptionId id, SubscriptionEnd end) {
    Watcher watcher = byDialog.remove(id);
    if (watcher != null) {
      watcher.dialogs.remove(id);
      LOG.info("{}: SIP subscription {} ended ({})", watcher.key, id, end);
    }
    dialogWrites.delete(StoredDialogs.idOf(id));
  }

  // XMPP → SIP

  /** The contact approved: every dialog becomes active, with no body yet (RFC 8048 §5.3.1). */
  void onSubscribed(AuthorizationKey key) {
    withWatcher(
        key,
        false,
        watcher -> {
          if (watcher == null) {
            LOG.debug("{}: subscribed without a request, ignored (RFC 6121 §3.1.5)", key);
            return;
          }
          if (watcher.granted) {
            return;
          }
          watcher.granted = true;
          LOG.info("{}: authorised by the contact", key);
          flow.then(
              store.putAuthorization(Authorization.granted(key, clock.instant())),
              "storing " + key,
              stored -> {});
          notifyAll(watcher, OutgoingNotification.active());
        },
        () -> {});
  }

  /** The contact refused or withdrew: every dialog ends with {@code reason=rejected}. */
  void onUnsubscribed(AuthorizationKey key) {
    Watcher watcher = watchers.remove(key);
    flow.then(store.deleteAuthorization(key), "deleting " + key, existed -> {});
    if (watcher == null) {
      return;
    }
    LOG.info("{}: authorisation refused or withdrawn by the contact", key);
    OutgoingNotification rejected = OutgoingNotification.terminated(TerminationReason.REJECTED);
    for (SubscriptionId id : watcher.dialogs) {
      byDialog.remove(id);
      notify(id, rejected);
    }
    watcher.dialogs.clear();
  }

  /** A presence notification from the contact to the SIP user (RFC 8048 §6.2). */
  void onPresence(Element presence, AuthorizationKey key) {
    Watcher watcher = watchers.get(key);
    if (watcher == null || !watcher.granted || watcher.dialogs.isEmpty()) {
      LOG.debug("{}: presence not watched, not forwarded", key);
      return;
    }
    PresenceState state = PresenceStanzas.fromStanza(presence);
    String document =
        writer.write(sipUri(key.remoteJid()), contacts.update(key.remoteJid(), state));
    presenceWrites.put(new LastPresence(key.remoteJid(), document, clock.instant()));
    OutgoingNotification notification =
        OutgoingNotification.active(SubscribeRequest.PIDF, document);
    if (state.statusLanguage() != null) {
      notification = notification.withContentLanguage(state.statusLanguage());
    }
    notifyAll(watcher, notification);
  }

  /**
   * An error answering our {@code subscribe}: a request the contact's side cannot take ends the
   * pending dialogs ({@code noresource}); an authorised watcher is not affected.
   */
  void onError(AuthorizationKey key, String condition) {
    Watcher watcher = watchers.get(key);
    if (watcher == null || watcher.granted) {
      return;
    }
    LOG.info("{}: subscription request failed on the XMPP side: {}", key, condition);
    watchers.remove(key);
    flow.then(store.deleteAuthorization(key), "deleting " + key, existed -> {});
    for (SubscriptionId id : watcher.dialogs) {
      byDialog.remove(id);
      notify(id, OutgoingNotification.terminated(TerminationReason.NORESOURCE));
    }
  }

  // Helpers

  private OutgoingNotification current(Watcher watcher) {
    if (!watcher.granted) {
      return OutgoingNotification.pending();
    }
    return contacts
        .known(watcher.key.remoteJid())
        .map(
            states ->
                OutgoingNotification.active(
                    SubscribeRequest.PIDF, writer.write(sipUri(watcher.key.remoteJid()), states)))
        .orElseGet(OutgoingNotification::active);
  }

  private boolean accept(
      SubscriptionResponder responder,
      SubscriptionId id,
      Duration granted,
      OutgoingNotification first) {
    try {
      responder.accept(granted, first);
      return true;
    } catch (IllegalStateException | IllegalArgumentException e) {
      LOG.warn("SUBSCRIBE {} not accepted: {}", id, e.getMessage());
      return false;
    }
  }

  private void notifyAll(Watcher watcher, OutgoingNotification notification) {
    for (SubscriptionId id : watcher.dialogs) {
      notify(id, notification);
    }
  }

  private void notify(SubscriptionId id, OutgoingNotification notification) {
    CompletionStage<?> sent;
    try {
      sent = sip.notify(id, notification);
    } catch (IllegalStateException e) {
      LOG.debug("NOTIFY {} not sent: {}", id, e.getMessage());
      return;
    }
    flow.then(
        sent,
        "NOTIFY " + id,
        response -> LOG.debug("NOTIFY {} answered {}", id, response),
        error -> LOG.debug("NOTIFY {} failed: {}", id, error.getMessage()));
  }

  private void save(Watcher watcher, SubscriptionId id, Duration granted) {
    if (granted.isZero()) {
      return;
    }
    sip.dialogState(id)
        .ifPresent(
            dialog ->
                dialogWrites.save(
                    StoredDialogs.toStored(dialog, watcher.key, clock.instant().plus(granted))));
  }

  /**
   * Runs {@code action} with the watcher for {@code key}: from memory, else from the store; if
   * there is none, a new pending one when {@code create} (stored before {@code action} runs), else
   * {@code null}. {@code onStoreFailure} runs instead if the store fails.
   */
  private void withWatcher(
      AuthorizationKey key, boolean create, Consumer<Watcher> action, Runnable onStoreFailure) {
    Watcher known = watchers.get(key);
    if (known != null) {
      action.accept(known);
      return;
    }
    flow.then(
        store.authorization(key),
        "reading " + key,
        stored -> {
          Watcher again = watchers.get(key);
          if (again != null) {
            action.accept(again);
          } else if (stored.isPresent()) {
            action.accept(track(key, stored.get().isGranted()));
          } else if (!create) {
            action.accept(null);
          } else {
            flow.then(
                store.putAuthorization(Authorization.requested(key, clock.instant())),
                "storing " + key,
                done -> {
                  Watcher raced = watchers.get(key);
                  action.accept(raced != null ? raced : track(key, false));
                },
                error -> onStoreFailure.run());
          }
        },
        error -> onStoreFailure.run());
  }

  private Watcher track(AuthorizationKey key, boolean granted) {
    Watcher watcher = new Watcher(key, granted);
    watchers.put(key, watcher);
    return watcher;
  }

  private static final class RefusalException extends Exception {
    private static final long serialVersionUID = 1L;
    final transient Refusal refusal;

    RefusalException(int code, String phrase) {
      super(phrase, null, false, false);
      this.refusal = new Refusal(code, phrase);
    }
  }

  /** Who watches whom, or why the SUBSCRIBE is refused (RFC 8048 §8.1: only our users watch). */
  private AuthorizationKey keyOf(IncomingSubscription incoming) throws RefusalException {
    String watcher;
    try {
      watcher = bare(AddressMapper.toJid(incoming.watcher()));
    } catch (RuntimeException e) {
      throw new RefusalException(403, "Watcher address not translatable");
    }
    if (!localDomains.contains(Jids.domainOf(watcher))) {
      throw new RefusalException(403, "Watcher is not of this organisation");
    }
    String contact = presentityJid(incoming);
    if (contact == null) {
      throw new RefusalException(404, "Not an XMPP address");
    }
    if (localDomains.contains(Jids.domainOf(contact))) {
      throw new RefusalException(404, "Not a remote XMPP address");
    }
    try {
      return new AuthorizationKey(watcher, contact, Direction.SIP_WATCHES_XMPP);
    } catch (IllegalArgumentException e) {
      throw new RefusalException(404, "Not an XMPP address");
    }
  }

  private static String presentityJid(IncomingSubscription incoming) {
    try {
      return bare(AddressMapper.toJid(incoming.presentity()));
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String bare(String jid) {
    return Jids.bareOf(jid);
  }

  private static SipUri sipUri(String jid) {
    return AddressMapper.toSipUri(jid);
  }

  private static Duration shorter(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  // Restart

  /**
   * Takes up a stored authorisation after a restart: every stored dialog whose time is not up is
   * resumed, so its watcher keeps getting NOTIFYs without subscribing again; the contact is probed
   * for its current presence, and until it answers, watchers get the presence stored last. Nothing
   * waits for the SIP side here (the NOTIFYs follow the contact's answer), so it completes at once.
   */
  CompletionStage<Void> restore(StoredSubscription stored) {
    AuthorizationKey key = stored.authorization().key();
    if (watchers.containsKey(key)) {
      return CompletableFuture.completedFuture(null);
    }
    Watcher watcher = track(key, stored.authorization().isGranted());
    for (SipDialog dialog : stored.dialogs()) {
      resume(watcher, dialog);
    }
    if (watcher.granted && !watcher.dialogs.isEmpty()) {
      restorePresence(key.remoteJid());
      xmpp.send(Type.PROBE, key.localJid(), key.remoteJid());
    }
    return CompletableFuture.completedFuture(null);
  }

  private void resume(Watcher watcher, SipDialog dialog) {
    Duration remaining = Duration.between(clock.instant(), dialog.expires());
    if (remaining.compareTo(Duration.ofSeconds(1)) < 0) {
      dialogWrites.delete(dialog.id());
      return;
    }
    SubscriptionId id;
    try {
      DialogState state = StoredDialogs.fromStored(dialog);
      sip.resume(state, remaining);
      id = state.id();
    } catch (IllegalArgumentException e) {
      LOG.info("{}: dialog {} not resumed: {}", watcher.key, dialog.id(), e.getMessage());
      dialogWrites.delete(dialog.id());
      return;
    }
    watcher.addDialog(id);
    byDialog.put(id, watcher);
    save(watcher, id, remaining); // with the CSeq moved ahead, for the next restart
  }

  private void restorePresence(String contact) {
    if (contacts.known(contact).isPresent()) {
      return;
    }
    flow.then(
        store.presence(contact),
        "reading presence of " + contact,
        stored ->
            stored.ifPresent(
                last -> {
                  try {
                    contacts.restore(
                        contact,
                        reader.read(last.pidf().getBytes(StandardCharsets.UTF_8)).tuples());
                  } catch (PidfException e) {
                    LOG.debug("stored presence of {} unreadable: {}", contact, e.getMessage());
                  }
                }));
  }
}
