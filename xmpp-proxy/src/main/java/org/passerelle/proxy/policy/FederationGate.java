package org.passerelle.proxy.policy;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.dom4j.Element;
import org.passerelle.proxy.policy.PolicyDecision.Reason;

/**
 * The federation policy in force, and the state it needs at run time: streams per partner,
 * discovered domains, and the contact ledger of the unverified tier. Streams ask it at each point
 * where a remote domain becomes known (a stream header's {@code from}, a dialback request, an
 * outbound session); the router asks it for each stanza. Thread-safe: the policy is an immutable
 * snapshot in a volatile field, replaced whole by {@link #install}.
 */
public final class FederationGate {
  private volatile FederationPolicy policy;
  private final DiscoveredDomains discovered;
  private final ConnectionLimiter connections = new ConnectionLimiter();
  private final ContactLedger contacts;
  private final List<Consumer<FederationPolicy>> listeners = new CopyOnWriteArrayList<>();
  private final PolicyEvents events;

  public FederationGate(FederationPolicy policy) {
    this(policy, PolicyEvents.NONE);
  }

  /** Telling {@code events} of each refusal. */
  public FederationGate(FederationPolicy policy, PolicyEvents events) {
    this(policy, Clock.systemUTC(), System::nanoTime, events);
  }

  /** With the clocks the limits and the ledger read, for tests. */
  public FederationGate(FederationPolicy policy, Clock clock, LongSupplier nanoTime) {
    this(policy, clock, nanoTime, PolicyEvents.NONE);
  }

  private FederationGate(
      FederationPolicy policy, Clock clock, LongSupplier nanoTime, PolicyEvents events) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.discovered = new DiscoveredDomains(policy.discovery(), nanoTime);
    this.contacts = new ContactLedger(policy.contacts(), clock);
    this.events = Objects.requireNonNull(events, "events");
  }

  public FederationPolicy policy() {
    return policy;
  }

  /**
   * Puts a new policy in force. Streams check it from their next decision on; listeners (the
   * outbound sessions) close what it no longer allows.
   */
  public synchronized void install(FederationPolicy next) {
    Objects.requireNonNull(next, "next");
    discovered.configure(next.discovery());
    contacts.limits(next.contacts());
    policy = next;
    listeners.forEach(listener -> listener.accept(next));
  }

  /** Called with each policy {@link #install}ed after this call. */
  public void onInstall(Consumer<FederationPolicy> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Whether a remote domain may federate now, at the stream level: named in a stream header or a
   * dialback request, authenticated by SASL, or about to get an outbound session. A discovered
   * domain not seen lately counts against the new-domains-per-minute limit.
   */
  public PolicyDecision admit(String domain) {
    PolicyDecision decision = policy.decide(domain);
    if (decision.reason() == Reason.DISCOVERED && !discovered.admit(domain)) {
      return refused(
          PolicyDecision.refuse(
              domain,
              Reason.DISCOVERY_RATE,
              domain
                  + " would be one more new discovered domain than"
                  + " federation.discovered.new-domains-per-minute ("
                  + policy.discovery().newDomainsPerMinute()
                  + ") allows"));
    }
    return decision.allowed() ? decision : refused(decision);
  }

  /**
   * Whether a domain that was admitted earlier may still federate under the policy in force now (it
   * may have been reloaded since): no limit is counted, a refusal is.
   */
  public PolicyDecision recheck(String domain) {
    PolicyDecision decision = policy.decide(domain);
    return decision.allowed() ? decision : refused(decision);
  }

  /** The settings for negotiating with {@code domain}; the defaults for {@code null}. */
  public PartnerPolicy settingsFor(String domain) {
    return policy.settingsFor(domain);
  }

  /**
   * Whether a stanza from an authenticated remote domain may reach the local side: the domain is
   * still allowed (the policy may have been reloaded), a discovered domain is within its stanza
   * rate, and an unverified domain's user writes to a local user who reached out first.
   */
  public PolicyDecision screenInbound(Element stanza, String remoteDomain) {
    PolicyDecision decision = recheck(remoteDomain);
    if (!decision.allowed()) {
      return decision;
    }
    if (decision.reason() == Reason.DISCOVERED && !discovered.takeStanza(remoteDomain)) {
      return refused(
          PolicyDecision.refuse(
              remoteDomain,
              Reason.STANZA_RATE,
              remoteDomain
                  + " sends more than federation.discovered.stanzas-per-second ("
                  + policy.discovery().stanzasPerSecond()
                  + ")"));
    }
    if (!decision.partner().tier().reachesEveryone() && !contactAllows(stanza)) {
      return refused(
          PolicyDecision.refuse(
              remoteDomain,
              Reason.NOT_A_CONTACT,
              bare(stanza.attributeValue("to"))
                  + " has not written to "
                  + bare(stanza.attributeValue("from"))
                  + ", whose domain is "
                  + decision.partner().tier().configName()));
    }
    return decision;
  }

  /**
   * Whether a stanza from the local side may go out to {@code remoteDomain}; if it reaches out to a
   * user of an unverified domain, the pair is recorded so that user may answer.
   */
  public PolicyDecision screenOutbound(Element stanza, String remoteDomain) {
    PolicyDecision decision = admit(remoteDomain);
    if (decision.allowed() && !decision.partner().tier().reachesEveryone() && reachesOut(stanza)) {
      contacts.record(bare(stanza.attributeValue("from")), bare(stanza.attributeValue("to")));
    }
    return decision;
  }

  /**
   * Counts one more stream for an allowed domain's partner; empty if that would exceed its
   * max-connections (answer with {@link #overConnectionLimit}).
   */
  public Optional<ConnectionPermit> connect(PolicyDecision allowed) {
    if (!allowed.allowed()) {
      throw new IllegalArgumentException("not an allowed domain: " + allowed);
    }
    return connections.tryAcquire(allowed.connectionKey(), allowed.partner().maxConnections());
  }

  /** The refusal of a stream beyond the partner's max-connections. */
  public PolicyDecision overConnectionLimit(PolicyDecision allowed) {
    return refused(
        PolicyDecision.refuse(
            allowed.domain(),
            Reason.CONNECTION_LIMIT,
            allowed.connectionKey()
                + " has "
                + allowed.partner().maxConnections()
                + " connection(s) already (max-connections)"));
  }

  private PolicyDecision refused(PolicyDecision refusal) {
    events.refused(refusal.reason());
    return refusal;
  }

  /** Streams currently counted for a partner (or discovered domain). */
  public int connections(String key) {
    return connections.count(key);
  }

  public ContactLedger contacts() {
    return contacts;
  }

  /**
   * Whether a stanza from a local user makes its recipient a contact: a message, or presence other
   * than an unsubscription or an error (a subscription request or approval, a probe, or presence
   * sent to a subscriber, which a server sends only to contacts, RFC 6121 §4.3 and §4.4).
   */
  static boolean reachesOut(Element stanza) {
    String type = stanza.attributeValue("type");
    return switch (stanza.getName()) {
      case "message" -> !"error".equals(type);
      case "presence" ->
          !"unsubscribe".equals(type) && !"unsubscribed".equals(type) && !"error".equals(type);
      default -> false;
    };
  }

  /**
   * Whether the tier rule lets an inbound stanza through: one addressed to the domain itself, an
   * answer to an IQ (it answers a request someone here made), or one for a local user who reached
   * out to its sender.
   */
  private boolean contactAllows(Element stanza) {
    String to = stanza.attributeValue("to");
    if (!hasLocalpart(to)) {
      return true;
    }
    String type = stanza.attributeValue("type");
    if ("iq".equals(stanza.getName()) && ("result".equals(type) || "error".equals(type))) {
      return true;
    }
    return contacts.knows(bare(to), bare(stanza.attributeValue("from")));
  }

  private static boolean hasLocalpart(String jid) {
    if (jid == null) {
      return false;
    }
    int slash = jid.indexOf('/');
    int at = jid.indexOf('@');
    return at > 0 && (slash < 0 || at < slash);
  }

  /** The bare JID, lower-cased (RFC 7622 §3.1; case folding approximates PRECIS). */
  static String bare(String jid) {
    if (jid == null) {
      return "";
    }
    int slash = jid.indexOf('/');
    return (slash < 0 ? jid : jid.substring(0, slash)).toLowerCase(Locale.ROOT);
  }
}
