package org.passerelle.gateway.subscriptions;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.dom4j.Element;
import org.passerelle.gateway.im.LinkSender;
import org.passerelle.gateway.presence.PidfReader;
import org.passerelle.gateway.presence.PidfWriter;
import org.passerelle.gateway.sip.IncomingSubscription;
import org.passerelle.gateway.sip.Notification;
import org.passerelle.gateway.sip.NotificationListener;
import org.passerelle.gateway.sip.SubscriptionClient;
import org.passerelle.gateway.sip.SubscriptionEnd;
import org.passerelle.gateway.sip.SubscriptionHandler;
import org.passerelle.gateway.sip.SubscriptionId;
import org.passerelle.gateway.sip.SubscriptionNotifier;
import org.passerelle.gateway.sip.SubscriptionResponder;
import org.passerelle.gateway.store.AuthorizationKey;
import org.passerelle.gateway.store.Direction;
import org.passerelle.gateway.store.StoredSubscription;
import org.passerelle.gateway.store.SubscriptionStore;
import org.passerelle.model.Jids;
import org.passerelle.model.StanzaErrors;
import org.passerelle.model.errors.StanzaCondition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presence across the gateway (RFC 8048): takes {@code <presence/>} stanzas from the link and
 * SUBSCRIBE and NOTIFY requests from the SIP endpoint, and hands each to the flow of its direction
 * ({@link XmppWatchers}, {@link SipWatchers}) on the presence thread.
 *
 * <p>Which flow a stanza belongs to follows from its type (RFC 6121 §3): {@code subscribe}, {@code
 * unsubscribe} and {@code probe} come from a contact who watches (or wants to watch) a SIP user;
 * {@code subscribed}, {@code unsubscribed}, errors and presence notifications answer or feed a SIP
 * user who watches the contact.
 *
 * <p>Life cycle: build it, give its handlers to the SIP endpoint, {@link #attach} the endpoint's
 * subscription roles, and call {@link #onLinkUp()} when the link is up: the first call restores the
 * stored subscriptions.
 */
public final class PresenceBridge implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PresenceBridge.class);
  private static final int RESTORE_PAGE = 500;

  private final PresenceSettings settings;
  private final Set<String> domains;
  private final SubscriptionStore store;
  private final LinkSender link;
  private final Clock clock;
  private final PresenceLoop loop;
  private final PresenceSender sender;
  private final AtomicBoolean restoring = new AtomicBoolean();
  private final CompletableFuture<Long> restored = new CompletableFuture<>();
  private volatile XmppWatchers xmppWatchers;
  private volatile SipWatchers sipWatchers;

  public PresenceBridge(
      PresenceSettings settings,
      Set<String> domains,
      SubscriptionStore store,
      LinkSender link,
      Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.domains = Set.copyOf(domains);
    this.store = Objects.requireNonNull(store, "store");
    this.link = Objects.requireNonNull(link, "link");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.loop = new PresenceLoop(settings.queueLimit());
    this.sender = new PresenceSender(link);
  }

  /**
   * Binds the SIP endpoint's two roles; from now on presence flows.
   *
   * @param timerN the SIP transaction timeout (64 × T1): refreshes leave at least this long before
   *     a subscription expires
   */
  public void attach(SubscriptionClient client, SubscriptionNotifier notifier, Duration timerN) {
    PidfReader reader = new PidfReader(settings.showMapping());
    PidfWriter writer = new PidfWriter(settings.showMapping(), PidfWriter.EntityScheme.SIP);
    DialogWrites dialogWrites = new DialogWrites(store, new Flow(loop));
    xmppWatchers =
        new XmppWatchers(
            client, store, sender, reader, loop, dialogWrites, settings.lifetime(), timerN, clock);
    sipWatchers =
        new SipWatchers(
            notifier,
            store,
            sender,
            writer,
            reader,
            loop,
            dialogWrites,
            settings.lifetime(),
            clock,
            domains);
  }

  /** Decides on SUBSCRIBEs from SIP users (give it to the endpoint's handlers). */
  public SubscriptionHandler subscriptionHandler() {
    return new SubscriptionHandler() {
      @Override
      public void onSubscribe(IncomingSubscription subscription, SubscriptionResponder responder) {
        SipWatchers flow = sipWatchers;
        if (flow == null || !loop.offer(() -> flow.onSubscribe(subscription, responder))) {
          LOG.warn(
              "SUBSCRIBE {} refused: presence is not running or overloaded", subscription.id());
          responder.reject(503, "Presence service unavailable");
        }
      }

      @Override
      public void onEnded(SubscriptionId subscription, SubscriptionEnd end) {
        SipWatchers flow = sipWatchers;
        if (flow != null && !loop.offer(() -> flow.onEnded(subscription, end))) {
          LOG.warn("end of {} ({}) not handled: presence overloaded", subscription, end);
        }
      }
    };
  }

  /** Receives the NOTIFYs of the gateway's own subscriptions (give it to the endpoint). */
  public NotificationListener notificationListener() {
    return new NotificationListener() {
      @Override
      public void onNotification(Notification notification) {
        XmppWatchers flow = xmppWatchers;
        if (flow == null || !loop.offer(() -> flow.onNotification(notification))) {
          LOG.warn("{} not handled: presence is not running or overloaded", notification);
        }
      }

      @Override
      public void onEnded(SubscriptionId subscription, SubscriptionEnd end) {
        XmppWatchers flow = xmppWatchers;
        if (flow != null && !loop.offer(() -> flow.onEnded(subscription, end))) {
          LOG.warn("end of {} ({}) not handled: presence overloaded", subscription, end);
        }
      }
    };
  }

  /**
   * A {@code <presence/>} from the link: from a remote contact to a local SIP user. Called on the
   * link's event loop; only classifies and queues.
   */
  public void onStanza(Element presence) {
    String type = presence.attributeValue("type");
    String from = Jids.bareOf(presence.attributeValue("from"));
    String to = Jids.bareOf(presence.attributeValue("to"));
    XmppWatchers watching = xmppWatchers;
    SipWatchers watched = sipWatchers;
    if (from == null || to == null || watching == null || domains.contains(Jids.domainOf(from))) {
      refuse(presence, StanzaCondition.SERVICE_UNAVAILABLE, "presence not accepted here");
      return;
    }
    Runnable task;
    try {
      task =
          switch (type == null ? "available" : type) {
            case "subscribe" -> {
              AuthorizationKey key = key(to, from, Direction.XMPP_WATCHES_SIP);
              yield () -> watching.onSubscribe(key);
            }
            case "unsubscribe" -> {
              AuthorizationKey key = key(to, from, Direction.XMPP_WATCHES_SIP);
              yield () -> watching.onUnsubscribe(key);
            }
            case "probe" -> {
              AuthorizationKey key = key(to, from, Direction.XMPP_WATCHES_SIP);
              yield () -> watching.onProbe(key);
            }
            case "subscribed" -> {
              AuthorizationKey key = key(to, from, Direction.SIP_WATCHES_XMPP);
              yield () -> watched.onSubscribed(key);
            }
            case "unsubscribed" -> {
              AuthorizationKey key = key(to, from, Direction.SIP_WATCHES_XMPP);
              yield () -> watched.onUnsubscribed(key);
            }
            case "available", "unavailable" -> {
              AuthorizationKey key = key(to, from, Direction.SIP_WATCHES_XMPP);
              yield () -> watched.onPresence(presence, key);
            }
            case "error" -> {
              AuthorizationKey key = key(to, from, Direction.SIP_WATCHES_XMPP);
              String condition = errorCondition(presence);
              yield () -> watched.onError(key, condition);
            }
            default -> {
              refuse(presence, StanzaCondition.BAD_REQUEST, "unknown presence type " + type);
              yield null;
            }
          };
    } catch (IllegalArgumentException e) {
      refuse(presence, StanzaCondition.JID_MALFORMED, e.getMessage());
      return;
    }
    if (task != null && !loop.offer(task)) {
      LOG.warn("presence {} {}→{} refused: presence queue full", type, from, to);
      refuse(presence, StanzaCondition.RESOURCE_CONSTRAINT, "presence queue full");
    }
  }

  /** The link is up: the first time, restore the stored subscriptions. */
  public void onLinkUp() {
    if (xmppWatchers != null && restoring.compareAndSet(false, true)) {
      restore()
          .whenComplete(
              (count, error) -> {
                if (error != null) {
                  restored.completeExceptionally(error);
                } else {
                  restored.complete(count);
                }
              });
    }
  }

  /**
   * Presence subscriptions held now, by direction and state.
   *
   * @param xmppWatchingSipGranted remote contacts authorised to watch a SIP user
   * @param xmppWatchingSipPending remote contacts who asked and wait for the SIP side
   * @param sipWatchingXmppGranted SIP users authorised to watch a remote contact
   * @param sipWatchingXmppPending SIP users who asked and wait for the contact
   */
  public record SubscriptionCounts(
      int xmppWatchingSipGranted,
      int xmppWatchingSipPending,
      int sipWatchingXmppGranted,
      int sipWatchingXmppPending) {
    public static final SubscriptionCounts NONE = new SubscriptionCounts(0, 0, 0, 0);
  }

  /**
   * Counts the subscriptions on the presence thread (the state is confined to it), so the answer
   * waits behind the presence events already queued; it fails if the queue is full or closed.
   */
  public CompletionStage<SubscriptionCounts> subscriptionCounts() {
    CompletableFuture<SubscriptionCounts> counts = new CompletableFuture<>();
    XmppWatchers watching = xmppWatchers;
    SipWatchers watched = sipWatchers;
    if (watching == null || watched == null) {
      counts.complete(SubscriptionCounts.NONE);
    } else if (!loop.offer(
        () -> {
          int xmppGranted = watching.granted();
          int sipGranted = watched.granted();
          counts.complete(
              new SubscriptionCounts(
                  xmppGranted,
                  watching.size() - xmppGranted,
                  sipGranted,
                  watched.size() - sipGranted));
        })) {
      counts.completeExceptionally(
          new IllegalStateException("the presence queue is full or closed"));
    }
    return counts;
  }

  /** Presence events waiting for the presence thread (at most {@code presence.queue-limit}). */
  public int queued() {
    return loop.queued();
  }

  /** Completes with the number of authorisations taken up after the first {@link #onLinkUp()}. */
  public CompletionStage<Long> restored() {
    return restored;
  }

  /**
   * Takes up every stored authorisation, granted ones first, at most {@link
   * PresenceSettings#restoreRate()} per second and at most {@link RestorePacer#MAX_UNANSWERED}
   * waiting for the SIP side ({@link RestorePacer#forRate}).
   */
  CompletionStage<Long> restore() {
    long started = System.nanoTime();
    CompletableFuture<Long> total = new CompletableFuture<>();
    RestorePacer pacer = RestorePacer.forRate(settings.restoreRate(), System::nanoTime);
    if (!loop.offer(
        () ->
            new SubscriptionRestore(store, RESTORE_PAGE, pacer, this::restoreOne, loop)
                .start()
                .whenComplete(
                    (count, error) -> {
                      if (error != null) {
                        total.completeExceptionally(error);
                      } else {
                        total.complete(count);
                      }
                    }))) {
      total.completeExceptionally(
          new IllegalStateException("the presence queue is full or closed"));
    }
    return total.whenComplete(
        (count, error) -> {
          if (error != null) {
            LOG.error("restoring presence subscriptions failed", Flow.cause(error));
          } else {
            LOG.info(
                "restored {} presence authorisations in {} ms",
                count,
                (System.nanoTime() - started) / 1_000_000);
          }
        });
  }

  private CompletionStage<Void> restoreOne(StoredSubscription subscription) {
    return subscription.authorization().key().direction() == Direction.XMPP_WATCHES_SIP
        ? xmppWatchers.restore(subscription)
        : sipWatchers.restore(subscription);
  }

  /** Whether the presence thread has nothing to do right now (a stopping gateway waits for it). */
  public boolean isIdle() {
    return loop.isIdle();
  }

  /** Stops the presence thread. Subscriptions are left as they are, to be resumed on restart. */
  @Override
  public void close() {
    loop.close();
  }

  private static AuthorizationKey key(String local, String remote, Direction direction) {
    return new AuthorizationKey(local, remote, direction);
  }

  private void refuse(Element presence, StanzaCondition condition, String text) {
    Element error = StanzaErrors.bounce(presence, condition, text);
    if (error != null) {
      link.send(error);
    }
  }

  private static String errorCondition(Element presence) {
    Element error = presence.element("error");
    if (error == null) {
      return "undefined-condition";
    }
    for (Element child : error.elements()) {
      if (!child.getName().equals("text")) {
        return child.getName();
      }
    }
    return "undefined-condition";
  }
}
