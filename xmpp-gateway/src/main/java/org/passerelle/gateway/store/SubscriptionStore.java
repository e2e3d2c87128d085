package org.passerelle.gateway.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Presence authorisations, their SIP dialogs and the last presence of XMPP contacts, kept across
 * restarts (see the package documentation for what and why).
 *
 * <p>Every operation returns at once; its work runs on the store's threads and its stage completes
 * there, or exceptionally: {@link StoreException} when the database fails, the store is closed or
 * too many operations wait; {@link IllegalStateException} when the stored data forbids the change.
 * Continue on your own thread with the {@code *Async(..., executor)} methods of the stage.
 */
public interface SubscriptionStore extends AutoCloseable {

  /** Most rows one page may ask for. */
  int MAX_PAGE = 10_000;

  /** The authorisation stored under {@code key}. */
  CompletionStage<Optional<Authorization>> authorization(AuthorizationKey key);

  /**
   * Stores {@code authorization}: a new key is inserted; a stored one moves to the new state if
   * {@link AuthorizationState#canBecome} allows it, keeping its creation instant.
   *
   * @return the authorisation as now stored; fails with {@link IllegalStateException} if the move
   *     is not allowed (e.g. from {@code GRANTED} back to pending)
   */
  CompletionStage<Authorization> putAuthorization(Authorization authorization);

  /** Like {@link #putAuthorization} for each, in one transaction: all are stored or none. */
  CompletionStage<List<Authorization>> putAuthorizations(List<Authorization> authorizations);

  /**
   * Deletes the authorisation under {@code key} and its dialogs: it was refused or cancelled.
   *
   * @return whether there was one
   */
  CompletionStage<Boolean> deleteAuthorization(AuthorizationKey key);

  /**
   * A page of the authorisations in {@code state}, in key order, the ones after {@code after}
   * (empty: from the start); a page shorter than {@code limit} is the last. For re-establishing
   * every subscription after a restart without holding them all in memory.
   *
   * @param limit 1 to {@link #MAX_PAGE}
   */
  CompletionStage<List<Authorization>> authorizationsAfter(
      AuthorizationState state, Optional<AuthorizationKey> after, int limit);

  /**
   * Like {@link #authorizationsAfter}, each with its dialogs ({@link #dialogsOf}), read in one
   * transaction: one round trip per page instead of one per authorisation, for restoring every
   * subscription after a restart.
   *
   * @param limit 1 to {@link #MAX_PAGE}
   */
  CompletionStage<List<StoredSubscription>> subscriptionsAfter(
      AuthorizationState state, Optional<AuthorizationKey> after, int limit);

  /**
   * Stores a dialog, or replaces the stored one with the same {@link DialogId} (after a refresh, a
   * NOTIFY, a new CSeq). Its authorisation must be stored; fails with {@link IllegalStateException}
   * if the ID is stored for another authorisation.
   */
  CompletionStage<Void> saveDialog(SipDialog dialog);

  /** Like {@link #saveDialog} for each, in one transaction: all are stored or none. */
  CompletionStage<Void> saveDialogs(List<SipDialog> dialogs);

  CompletionStage<Optional<SipDialog>> dialog(DialogId id);

  /** The dialogs carrying one authorisation, e.g. one per device of a SIP watcher. */
  CompletionStage<List<SipDialog>> dialogsOf(AuthorizationKey key);

  /** Deletes one dialog; its authorisation stays. Returns whether there was one. */
  CompletionStage<Boolean> deleteDialog(DialogId id);

  /**
   * Up to {@code limit} dialogs in {@code direction} that expire before {@code before}, soonest
   * first: for {@link Direction#XMPP_WATCHES_SIP} the ones to refresh (RFC 8048 §5.2.2), for {@link
   * Direction#SIP_WATCHES_XMPP} the ones their watcher let lapse.
   *
   * @param limit 1 to {@link #MAX_PAGE}
   */
  CompletionStage<List<SipDialog>> dialogsExpiringBefore(
      Direction direction, Instant before, int limit);

  /** The last presence stored for the XMPP contact {@code contactJid} (a bare JID). */
  CompletionStage<Optional<LastPresence>> presence(String contactJid);

  /**
   * Stores the contact's last presence.
   *
   * @return false if a presence received later than this one is stored already, which stays
   */
  CompletionStage<Boolean> putPresence(LastPresence presence);

  /**
   * Like {@link #putPresence} for each, in one transaction: a presence older than the one stored
   * for its contact is left out, the others are stored.
   */
  CompletionStage<Void> putPresences(List<LastPresence> presences);

  /** Forgets the contact's presence, e.g. once nobody watches it; returns whether there was one. */
  CompletionStage<Boolean> deletePresence(String contactJid);

  /**
   * Hands every authorisation in {@code state} to {@code consumer}, one page at a time: the next
   * page is read once the stage {@code consumer} returns for the current one completes, so at most
   * one page is in memory and the consumer sets the pace (e.g. of re-SUBSCRIBEs after a restart).
   *
   * @param pageSize 1 to {@link #MAX_PAGE}
   * @return the number of authorisations handed over
   */
  default CompletionStage<Long> forEachPage(
      AuthorizationState state,
      int pageSize,
      Function<List<Authorization>, ? extends CompletionStage<?>> consumer) {
    return AuthorizationPages.walk(this, state, pageSize, consumer);
  }

  /** Whether the store takes operations: opened and not closed. */
  boolean isOpen();

  /** Operations waiting for a store thread now (at most {@code store.queue-limit}). */
  int queued();

  /**
   * Lets the operations under way finish (for a few seconds), then releases the database. Later
   * operations fail with {@link StoreException}.
   */
  @Override
  void close();
}
