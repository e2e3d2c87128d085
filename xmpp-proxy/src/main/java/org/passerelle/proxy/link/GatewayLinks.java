package org.passerelle.proxy.link;

import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.dom4j.Element;
import org.passerelle.model.Jids;
import org.passerelle.model.StanzaErrors;
import org.passerelle.model.errors.StanzaCondition;
import org.passerelle.model.lifecycle.Lifecycle;
import org.passerelle.model.lifecycle.Phase;
import org.passerelle.proxy.routing.LocalDelivery;
import org.passerelle.proxy.s2s.Bouncer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.PacketError;

/**
 * The gateways attached for each local domain. Delivers stanzas for a domain to one of its gateways
 * — the same one for the same recipient, so a conversation stays on one gateway — and, while none
 * is attached, holds them for a bounded time (a gateway restart should not bounce messages) before
 * answering their senders with {@code service-unavailable}.
 *
 * <p>While the proxy drains, a gateway may attach only for a domain whose stanzas are held (it
 * comes to take them); once the proxy stops, what is still held is bounced and nothing more is
 * held.
 */
public final class GatewayLinks implements LocalDelivery {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayLinks.class);

  private final Map<String, List<GatewayLinkHandler>> attached = new ConcurrentHashMap<>();
  private final Map<String, Held> held = new ConcurrentHashMap<>();
  private final Duration hold;
  private final int holdLimit;
  private final int window;
  private final EventExecutor timers;
  private final Bouncer bouncer;
  private final Lifecycle lifecycle = new Lifecycle();

  /** Stanzas waiting for a gateway of one domain; guarded by its own monitor. */
  private static final class Held {
    final ArrayDeque<Element> stanzas = new ArrayDeque<>();
    boolean timerArmed;

    /** {@code stanzas.size()}, readable without the monitor (metrics, status page). */
    volatile int size;
  }

  /**
   * @param window how many stanzas each gateway may have been sent and not yet acknowledged
   */
  public GatewayLinks(
      Duration hold, int holdLimit, int window, EventExecutor timers, Bouncer bouncer) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be positive");
    }
    this.hold = hold;
    this.holdLimit = holdLimit;
    this.window = window;
    this.timers = timers;
    this.bouncer = bouncer;
  }

  @Override
  public boolean deliver(Element stanza) {
    String domain = Jids.domainOf(stanza.attributeValue("to"));
    GatewayLinkHandler gateway = pick(domain, stanza.attributeValue("to"));
    if (gateway == null) {
      return holdFor(domain, stanza);
    }
    if (!StanzaErrors.isBounceable(stanza)) {
      // An error or IQ result answers what the gateway sent (so it is bounded by the gateway's
      // link.pending-limit) and cannot be answered itself (RFC 6120 §8.3.1): refusing it would
      // lose it.
      gateway.send(stanza);
    } else if (!gateway.offer(stanza)) {
      // The gateway takes less than it is sent: answer now (RFC 6120 §8.3.3.18, type wait) rather
      // than queue behind it, so the backlog stays a window long and drains once the load drops.
      bouncer.bounce(
          stanza,
          StanzaCondition.RESOURCE_CONSTRAINT,
          "the gateway for " + domain + " is busy; try again later");
    }
    return true;
  }

  /**
   * Delivers a stanza admitted before — held while no gateway was attached, or not acknowledged by
   * one that went away — whatever the window: it already waited its turn, and there are at most
   * {@code link.hold-limit} of the one and a window of the other.
   */
  void redeliver(Element stanza) {
    String domain = Jids.domainOf(stanza.attributeValue("to"));
    GatewayLinkHandler gateway = pick(domain, stanza.attributeValue("to"));
    if (gateway != null) {
      gateway.send(stanza);
    } else if (!holdFor(domain, stanza)) {
      bouncer.bounce(
          stanza, StanzaCondition.SERVICE_UNAVAILABLE, "no gateway is attached for " + domain);
    }
  }

  /** How many stanzas each gateway may have been sent and not yet acknowledged. */
  int window() {
    return window;
  }

  /** Whether any gateway is attached for the domain. */
  public boolean isAttached(String domain) {
    List<GatewayLinkHandler> list = attached.get(domain);
    return list != null && !list.isEmpty();
  }

  /**
   * Whether a gateway may attach for {@code domain} now: always while the proxy runs, while it
   * drains only to take stanzas held for the domain, never once it stops.
   */
  boolean mayAttach(String domain) {
    return switch (lifecycle.phase()) {
      case RUNNING -> true;
      case DRAINING -> held.containsKey(domain);
      case STOPPED -> false;
    };
  }

  /** Stanzas held for domains without a gateway. */
  public int heldStanzas() {
    int total = 0;
    for (Held waiting : held.values()) {
      synchronized (waiting) {
        total += waiting.stanzas.size();
      }
    }
    return total;
  }

  /** Stanzas sent to attached gateways and not acknowledged yet. */
  public int unacknowledged() {
    return attached.values().stream()
        .flatMap(List::stream)
        .mapToInt(GatewayLinkHandler::unacknowledged)
        .sum();
  }

  /** The proxy drains: attachments are taken only for domains with held stanzas. */
  public void drain() {
    lifecycle.advance(Phase.DRAINING);
  }

  /**
   * The proxy stops: what is still held is answered with {@code service-unavailable}, and nothing
   * more is held (the router answers it at once). Returns how many stanzas were answered.
   */
  public int stop() {
    lifecycle.advance(Phase.STOPPED);
    int bounced = 0;
    for (String domain : List.copyOf(held.keySet())) {
      Held waiting = held.remove(domain);
      if (waiting != null) {
        bounced +=
            bounceAll(
                domain, waiting, "no gateway attached for " + domain + " before the proxy stopped");
      }
    }
    return bounced;
  }

  /** How many gateways are attached for the domain now. */
  public int attachedCount(String domain) {
    List<GatewayLinkHandler> list = attached.get(domain);
    return list == null ? 0 : list.size();
  }

  /** The addresses of the gateways attached for the domain now. */
  public List<String> gatewaysOf(String domain) {
    List<GatewayLinkHandler> list = attached.get(domain);
    return list == null ? List.of() : list.stream().map(GatewayLinkHandler::remoteAddress).toList();
  }

  /** Stanzas sent to the domain's gateways and not yet acknowledged, each bounded by the window. */
  public int inFlightCount(String domain) {
    List<GatewayLinkHandler> list = attached.get(domain);
    return list == null ? 0 : list.stream().mapToInt(GatewayLinkHandler::inFlight).sum();
  }

  /** How many stanzas for the domain wait for a gateway now. */
  public int heldCount(String domain) {
    Held waiting = held.get(domain);
    return waiting == null ? 0 : waiting.size;
  }

  /** Closes every attached gateway's link cleanly. */
  public void closeAll() {
    attached.values().forEach(list -> list.forEach(GatewayLinkHandler::closeFromProxy));
  }

  void attach(String domain, GatewayLinkHandler gateway) {
    attached.computeIfAbsent(domain, d -> new CopyOnWriteArrayList<>()).add(gateway);
    LOG.info("gateway attached for {} ({} attached)", domain, attached.get(domain).size());
    Held waiting = held.remove(domain);
    if (waiting != null) {
      synchronized (waiting) {
        LOG.info("delivering {} held stanza(s) for {}", waiting.stanzas.size(), domain);
        waiting.size = 0;
        for (Element stanza = waiting.stanzas.poll();
            stanza != null;
            stanza = waiting.stanzas.poll()) {
          redeliver(stanza);
        }
      }
    }
  }

  /** Detaches a gateway and takes back what it did not acknowledge, for another or for later. */
  void detach(String domain, GatewayLinkHandler gateway, List<Element> untaken) {
    List<GatewayLinkHandler> list = attached.get(domain);
    if (list != null) {
      list.remove(gateway);
    }
    LOG.info(
        "gateway detached from {}; {} unacknowledged stanza(s) to redeliver",
        domain,
        untaken.size());
    untaken.forEach(this::redeliver);
  }

  private GatewayLinkHandler pick(String domain, String to) {
    List<GatewayLinkHandler> list = domain == null ? null : attached.get(domain);
    if (list == null || list.isEmpty()) {
      return null;
    }
    if (list.size() == 1) {
      return list.get(0);
    }
    String bare = to.indexOf('/') < 0 ? to : to.substring(0, to.indexOf('/'));
    try {
      return list.get(Math.floorMod(bare.hashCode(), list.size()));
    } catch (IndexOutOfBoundsException detachedMeanwhile) {
      return list.isEmpty() ? null : list.get(0);
    }
  }

  private boolean holdFor(String domain, Element stanza) {
    if (domain == null || hold.isZero() || lifecycle.phase() == Phase.STOPPED) {
      return false;
    }
    Held waiting = held.computeIfAbsent(domain, d -> new Held());
    synchronized (waiting) {
      if (held.get(domain) != waiting || isAttached(domain)) {
        // A gateway attached meanwhile.
        return deliver(stanza);
      }
      if (waiting.stanzas.size() >= holdLimit) {
        return false;
      }
      waiting.stanzas.add(stanza);
      waiting.size = waiting.stanzas.size();
      if (!waiting.timerArmed) {
        waiting.timerArmed = true;
        timers.schedule(() -> expire(domain, waiting), hold.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    return true;
  }

  private void expire(String domain, Held waiting) {
    if (!held.remove(domain, waiting)) {
      return;
    }
    bounceAll(
        domain,
        waiting,
        "no gateway attached for " + domain + " within " + hold.toSeconds() + " s");
  }

  private int bounceAll(String domain, Held waiting, String why) {
    synchronized (waiting) {
      int count = waiting.stanzas.size();
      LOG.info("{}; bouncing {} held stanza(s)", why, count);
      waiting.size = 0;
      for (Element stanza = waiting.stanzas.poll();
          stanza != null;
          stanza = waiting.stanzas.poll()) {
        bouncer.bounce(
            stanza,
            PacketError.Condition.service_unavailable,
            "no gateway is attached for " + domain);
      }
      return count;
    }
  }
}
