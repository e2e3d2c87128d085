package org.passerelle.proxy.link;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Set;
import org.passerelle.proxy.config.ProxyConfig;
import org.passerelle.proxy.routing.Router;
import org.passerelle.proxy.s2s.StreamIds;
import org.passerelle.proxy.s2s.Transport;
import org.passerelle.stream.StreamLimits;
import org.passerelle.stream.pki.KeyMaterial;
import org.passerelle.stream.pki.TrustAnchors;

/** The link, assembled: the listener and the registry of attached gateways. */
public final class GatewayLinkService {
  private final LinkServer server;
  private final GatewayLinks links;
  private final InetSocketAddress address;

  private GatewayLinkService(LinkServer server, GatewayLinks links, InetSocketAddress address) {
    this.server = server;
    this.links = links;
    this.address = address;
  }

  public static GatewayLinkService start(
      ProxyConfig.Link config,
      Set<String> domains,
      KeyMaterial keys,
      Router router,
      Transport transport,
      StreamLimits limits,
      LinkEvents events)
      throws IOException, InterruptedException {
    GatewayLinks links =
        new GatewayLinks(
            config.hold(), config.holdLimit(), config.window(), transport.group().next(), router);
    LinkContext context =
        new LinkContext(domains, config.secret(), links, router, new StreamIds(), events);
    TrustAnchors gateways = TrustAnchors.fromPemFiles(config.trust());
    LinkServer server =
        new LinkServer(context, transport, LinkServer.tls(keys, gateways), config.listen(), limits);
    InetSocketAddress bound = server.start();
    router.attachLocal(links);
    return new GatewayLinkService(server, links, bound);
  }

  public InetSocketAddress address() {
    return address;
  }

  public GatewayLinks links() {
    return links;
  }

  /** The proxy drains: gateways attach only to take stanzas held for their domain. */
  public void drain() {
    links.drain();
  }

  /** Whether the link port accepts gateways. */
  public boolean isListening() {
    return server.isListening();
  }

  /** Stops accepting gateways and closes the attached ones cleanly. */
  public void stop() {
    server.stop();
    links.closeAll();
  }
}
