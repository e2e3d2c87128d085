package org.passerelle.proxy.link;

import java.util.Set;
import org.passerelle.proxy.routing.Router;
import org.passerelle.proxy.s2s.StreamIds;

/** What every link connection needs. */
record LinkContext(
    Set<String> domains,
    String secret,
    GatewayLinks links,
    Router router,
    StreamIds streamIds,
    LinkEvents events) {}
