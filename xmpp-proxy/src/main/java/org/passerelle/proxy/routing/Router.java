package org.passerelle.proxy.routing;

import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import org.dom4j.Element;
import org.passerelle.model.Correlation;
import org.passerelle.model.Jids;
import org.passerelle.model.StanzaErrors;
import org.passerelle.model.errors.BounceLog;
import org.passerelle.model.errors.StanzaCondition;
import org.passerelle.proxy.policy.FederationGate;
import org.passerelle.proxy.policy.PolicyDecision;
import org.passerelle.proxy.s2s.Bouncer;
import org.passerelle.proxy.s2s.DomainPair;
import org.passerelle.proxy.s2s.OutboundStreams;
import org.passerelle.proxy.s2s.S2sContext;
import org.passerelle.proxy.s2s.StanzaSink;
import org.passerelle.proxy.s2s.TargetResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.PacketError;

/**
 * Routes every stanza by its {@code to} domain (RFC 6120 §10.4): local domains to the attached
 * {@link LocalDelivery}, remote ones to their outbound stream. A stanza that cannot go on is
 * answered with an error to its sender; an error that cannot be delivered is logged, never answered
 * again (§8.3.1).
 *
 * <p>The federation policy screens every stanza crossing the border: inbound ones for the trust
 * tier and discovered domains' rate, outbound ones for the remote domain (and to record the
 * contacts of unverified domains). A refusal is answered with the refusal's stanza error.
 *
 * <p>Every stanza gets its correlation id here ({@link Correlation}): a new one when it comes from
 * a remote server (whatever it carried, a peer does not write in our logs), the local side's own
 * when it brings one.
 */
public final class Router implements StanzaSink, Bouncer {
  private static final Logger LOG = LoggerFactory.getLogger(Router.class);

  private final Set<String> localDomains;
  private final FederationGate federation;
  private final OutboundStreams outbound;
  private final RoutingEvents events;
  private static final String BOUNCED = "bounced {} id={} cid={} {}→{} with {}: {}";
  private static final String UNDELIVERABLE =
      "undeliverable {} id={} cid={} {}→{} ({}: {}); errors and results are not answered";

  private final BounceLog bounceLog = new BounceLog(Clock.systemUTC(), LOG::info);
  private volatile LocalDelivery local;

  public Router(S2sContext context, TargetResolver resolver, RoutingEvents events) {
    this.localDomains = context.config().domains();
    this.federation = context.federation();
    this.outbound = new OutboundStreams(context, resolver, this);
    this.events = Objects.requireNonNull(events, "events");
  }

  public OutboundStreams outbound() {
    return outbound;
  }

  /** Attaches the local side (the gateway link); {@code null} detaches it. */
  public void attachLocal(LocalDelivery delivery) {
    this.local = delivery;
  }

  /** A stanza accepted on an authenticated inbound stream. */
  @Override
  public void accept(Element stanza, DomainPair pair) {
    Correlation.assign(stanza);
    PolicyDecision decision = federation.screenInbound(stanza, pair.remote());
    if (!decision.allowed()) {
      refuse(stanza, decision);
      return;
    }
    deliverLocally(stanza);
  }

  /**
   * A stanza from the local side, addressed anywhere. Its {@code from} must be one of our domains
   * (the remote side would refuse anything else, RFC 6120 §8.1.1.2).
   */
  public void fromLocal(Element stanza) {
    Correlation.ensure(stanza);
    String fromDomain = Jids.domainOf(stanza.attributeValue("from"));
    String toDomain = Jids.domainOf(stanza.attributeValue("to"));
    if (fromDomain == null || !localDomains.contains(fromDomain)) {
      LOG.warn("refusing stanza from non-local address {}", stanza.attributeValue("from"));
      bounce(stanza, PacketError.Condition.not_allowed, "sender is not in a local domain");
      return;
    }
    if (toDomain == null) {
      bounce(stanza, PacketError.Condition.jid_malformed, "stanza has no recipient");
      return;
    }
    route(stanza, fromDomain, toDomain);
  }

  private void route(Element stanza, String fromDomain, String toDomain) {
    if (localDomains.contains(toDomain)) {
      deliverLocally(stanza);
      return;
    }
    PolicyDecision decision = federation.screenOutbound(stanza, toDomain);
    if (!decision.allowed()) {
      refuse(stanza, decision);
      return;
    }
    outbound.send(stanza, new DomainPair(fromDomain, toDomain));
  }

  private void refuse(Element stanza, PolicyDecision refusal) {
    bounce(stanza, refusal.reason().stanzaError(), refusal.publicText(), refusal.text());
  }

  private void deliverLocally(Element stanza) {
    LocalDelivery delivery = local;
    if (delivery != null && delivery.deliver(stanza)) {
      return;
    }
    bounce(
        stanza,
        PacketError.Condition.service_unavailable,
        "no gateway is attached for " + Jids.domainOf(stanza.attributeValue("to")));
  }

  @Override
  public void bounce(Element stanza, StanzaCondition condition, String reason) {
    Objects.requireNonNull(condition, "condition");
    bounce(stanza, condition, reason, reason);
  }

  /**
   * Answers with {@code condition}; {@code errorText} goes to the sender (none if {@code null}),
   * {@code reason} to the log.
   */
  private void bounce(Element stanza, StanzaCondition condition, String errorText, String reason) {
    events.bounced(condition);
    boolean line = bounceLog.lineFor(condition) && LOG.isInfoEnabled();
    Element reply = StanzaErrors.bounce(stanza, condition, errorText);
    if (line) {
      LOG.info(
          reply == null ? UNDELIVERABLE : BOUNCED,
          stanza.getName(),
          stanza.attributeValue("id"),
          Correlation.forLog(stanza),
          stanza.attributeValue("from"),
          stanza.attributeValue("to"),
          condition.elementName(),
          reason);
    }
    if (reply == null) {
      return;
    }
    String fromDomain = Jids.domainOf(reply.attributeValue("from"));
    String toDomain = Jids.domainOf(reply.attributeValue("to"));
    if (toDomain == null || fromDomain == null) {
      LOG.info("bounce for {} has no address to go to", stanza.attributeValue("id"));
      return;
    }
    route(reply, fromDomain, toDomain);
  }
}
