package org.passerelle.proxy.s2s;

import java.util.Objects;
import org.passerelle.proxy.limits.ConnectionGate;
import org.passerelle.proxy.limits.StanzaRates;

/**
 * What every inbound stream shares to stay within the limits: the connection counts, the stanza
 * rates per remote domain, and where refused stanzas are answered.
 */
record InboundGuards(ConnectionGate connections, StanzaRates stanzas, Bouncer bouncer) {
  InboundGuards {
    Objects.requireNonNull(connections, "connections");
    Objects.requireNonNull(stanzas, "stanzas");
    Objects.requireNonNull(bouncer, "bouncer");
  }

  /** Fresh counts for the configuration's inbound limits; refusals reported as stream events. */
  static InboundGuards of(S2sContext context, Bouncer bouncer) {
    return new InboundGuards(
        new ConnectionGate(
            context.config().inbound(),
            context.config().defaultDomain(),
            context.streamIds()::next,
            context.events()::streamErrorSent),
        new StanzaRates(context.config().inbound()),
        bouncer);
  }
}
