package org.passerelle.gateway;

import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.dom4j.Element;
import org.passerelle.gateway.admin.GatewayAdmin;
import org.passerelle.gateway.admin.GatewayMetrics;
import org.passerelle.gateway.config.GatewayConfig;
import org.passerelle.gateway.im.ConversationTypes;
import org.passerelle.gateway.im.ImBridge;
import org.passerelle.gateway.im.LinkSender;
import org.passerelle.gateway.im.MessageMapper;
import org.passerelle.gateway.im.SentMessages;
import org.passerelle.gateway.im.SipIm;
import org.passerelle.gateway.im.SipMessaging;
import org.passerelle.gateway.link.LinkClient;
import org.passerelle.gateway.link.LinkListener;
import org.passerelle.gateway.link.LinkSettings;
import org.passerelle.gateway.link.LinkUnavailableException;
import org.passerelle.gateway.link.ReadGate;
import org.passerelle.gateway.sip.SipEndpoint;
import org.passerelle.gateway.sip.SipHandlers;
import org.passerelle.gateway.sip.SipSendException;
import org.passerelle.gateway.store.JdbcSubscriptionStore;
import org.passerelle.gateway.store.SubscriptionStore;
import org.passerelle.gateway.subscriptions.PresenceBridge;
import org.passerelle.model.Jids;
import org.passerelle.model.lifecycle.Drain;
import org.passerelle.model.lifecycle.Lifecycle;
import org.passerelle.model.lifecycle.Phase;
import org.passerelle.model.lifecycle.ShutdownSettings;
import org.passerelle.observability.AdminServer;
import org.passerelle.observability.ProcessInfo;
import org.passerelle.observability.ProcessMetrics;
import org.passerelle.observability.StartupPhases;
import org.passerelle.stream.StreamLimits;
import org.passerelle.stream.loop.EventLoops;
import org.passerelle.stream.loop.LoopPasses;
import org.passerelle.stream.pki.JdkSslContexts;
import org.passerelle.stream.pki.KeyMaterial;
import org.passerelle.stream.pki.TrustAnchors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The internal process, assembled: one link per organisation domain to the proxy, the SIP endpoint,
 * and the translation between them. Everything is built here and passed down.
 *
 * <p>Everything that can be wrong in what the configuration names is found before the first port is
 * bound: the store is opened and the link's key material read before the SIP endpoint listens (the
 * SIP TLS material is read when its stack is built, before its listening points). {@link #close}
 * stops gracefully (docs/decisions/0013-graceful-shutdown.md).
 */
public final class XmppGateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(XmppGateway.class);
  private static final Duration SENT_MEMORY = Duration.ofMinutes(5);

  private final NioEventLoopGroup group;
  private final Map<String, LinkClient> links;
  private final SipEndpoint sip;
  private final PresenceBridge presence;
  private final SubscriptionStore store;
  private final UnderWay underWay;
  private final ShutdownSettings shutdown;
  private final Lifecycle lifecycle;
  private final ProcessMetrics metrics;
  private final Optional<AdminServer> admin;
  private final AnswerThread answers;

  private XmppGateway(
      NioEventLoopGroup group,
      Map<String, LinkClient> links,
      SipEndpoint sip,
      PresenceBridge presence,
      SubscriptionStore store,
      UnderWay underWay,
      ShutdownSettings shutdown,
      Lifecycle lifecycle,
      ProcessMetrics metrics,
      Optional<AdminServer> admin,
      AnswerThread answers) {
    this.group = group;
    this.links = links;
    this.sip = sip;
    this.presence = presence;
    this.store = store;
    this.underWay = underWay;
    this.shutdown = shutdown;
    this.lifecycle = lifecycle;
    this.metrics = metrics;
    this.admin = admin;
    this.answers = answers;
  }

  /**
   * Opens the subscription store, then the SIP endpoint and the links.
   *
   * @throws org.passerelle.gateway.store.StoreException before any port opens, if the store cannot
   *     be opened (unreachable, or upgraded by a newer gateway)
   * @throws IOException before any port opens, if the link's key material cannot be read; or if the
   *     SIP endpoint cannot start
   */
  public static XmppGateway start(GatewayConfig config) throws IOException {
    return start(config, StartupPhases.untimedJvm());
  }

  /**
   * As {@link #start(GatewayConfig)}, timing its phases into {@code phases}; the line is logged
   * once every domain's link is first attached (the gateway is ready then, not before).
   */
  public static XmppGateway start(GatewayConfig config, StartupPhases phases) throws IOException {
    // The store (SQLite's native library, the pool, migrations) opens beside the link's TLS
    // context and the metrics, which do not need it; nothing listens before both are done.
    CompletableFuture<SubscriptionStore> opening =
        phases.inBackground("store", () -> JdbcSubscriptionStore.open(config.store()));
    Optional<SslContext> tls;
    ProcessInfo info;
    ProcessMetrics process;
    try {
      tls = linkTls(config.link());
      phases.mark("tls");
      info = ProcessInfo.startingNow("gateway", Clock.systemUTC());
      process = ProcessMetrics.create(info);
      phases.mark("metrics");
    } catch (IOException | RuntimeException e) {
      // Let the store finish opening and close it before the failure is thrown, so that nothing
      // of this start (its files, its pool) outlives it.
      try {
        StartupPhases.join(opening).close();
      } catch (IOException | RuntimeException storeFailure) {
        e.addSuppressed(storeFailure);
      }
      throw e;
    }
    SubscriptionStore store;
    try {
      store = StartupPhases.join(opening);
    } catch (IOException | RuntimeException e) {
      process.close();
      throw e;
    }
    phases.mark("waiting for the store");
    GatewayMetrics metrics = new GatewayMetrics(process.registry());
    LoopPasses passes = new LoopPasses();
    NioEventLoopGroup group = EventLoops.nio(1, "gateway-io", config.io().coalesce(), passes);
    process.eventLoops(passes::passes, passes::coalesced);
    Map<String, LinkClient> links = new LinkedHashMap<>();
    UnderWay underWay = new UnderWay();
    LinkSender linkSender =
        metrics.countingSent(stanza -> underWay.track(() -> linkFor(links, stanza)));
    SipEndpoint[] endpoint = new SipEndpoint[1];
    Lifecycle lifecycle = new Lifecycle();
    ReadGate gate = new ReadGate(config.im().sipInFlight());
    SipMessaging messaging =
        request -> {
          gate.enter();
          CompletionStage<SipMessaging.SipOutcome> outcome;
          try {
            // On the link's event loop: the SIP endpoint never blocks its caller (decision 16).
            outcome = underWay.track(() -> send(endpoint[0], request));
          } catch (RuntimeException e) {
            gate.exit();
            throw e;
          }
          outcome.whenComplete((done, failed) -> gate.exit());
          return outcome;
        };
    AnswerThread answers = new AnswerThread();
    ImBridge bridge =
        new ImBridge(
            new MessageMapper(config.domains(), config.im().maxBodyBytes()),
            messaging,
            linkSender,
            new ConversationTypes(config.im().conversations()),
            new SentMessages(config.im().conversations(), SENT_MEMORY, Clock.systemUTC()),
            metrics);
    PresenceBridge presence =
        new PresenceBridge(
            config.presence(), config.domains(), store, linkSender, Clock.systemUTC());
    try {
      endpoint[0] =
          SipEndpoint.start(
              config.sip(),
              SipHandlers.builder()
                  .message(
                      SipHandlers.TEXT_PLAIN,
                      (incoming, responder) ->
                          bridge.fromSip(SipIm.of(incoming), answers.offThread(responder)))
                  .subscriptions(presence.subscriptionHandler())
                  .notifications(presence.notificationListener())
                  .build(),
              metrics,
              Optional.of(group));
      presence.attach(
          endpoint[0].subscriptions(), endpoint[0].notifier(), config.sip().transactionTimeout());
      phases.mark("sip");
      LinkListener dispatcher =
          new FirstAttach(
              metrics.countingReceived(new StanzaDispatcher(bridge, presence, linkSender)),
              () -> links.values().stream().allMatch(LinkClient::isUp),
              () -> {
                phases.mark("link attached");
                phases.readyLine().ifPresent(LOG::info);
              });
      for (String domain : config.domains()) {
        GatewayConfig.Link link = config.link();
        LinkClient client =
            new LinkClient(
                new LinkSettings(
                    link.server(),
                    domain,
                    link.secret(),
                    tls,
                    link.acknowledgements(),
                    Duration.ofMillis(200),
                    Duration.ofSeconds(30),
                    link.hold(),
                    link.pendingLimit()),
                dispatcher,
                group.next(),
                NioSocketChannel.class,
                StreamLimits.DEFAULTS);
        links.put(domain, client);
        gate.add(client);
        client.start();
      }
      Optional<AdminServer> admin =
          GatewayAdmin.start(
              config.admin(),
              info,
              process,
              metrics,
              new GatewayAdmin.Parts(links, endpoint[0], store, presence, lifecycle, gate));
      phases.mark("admin");
      LOG.info("gateway for {} started; linking to {}", config.domains(), config.link().server());
      return new XmppGateway(
          group,
          links,
          endpoint[0],
          presence,
          store,
          underWay,
          config.shutdown(),
          lifecycle,
          process,
          admin,
          answers);
    } catch (IOException | RuntimeException e) {
      links.values().forEach(LinkClient::close);
      if (endpoint[0] != null) {
        endpoint[0].close();
      }
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      answers.close();
      presence.close();
      store.close();
      process.close();
      throw e;
    }
  }

  /** Whether every domain's link is attached. */
  public boolean isLinked() {
    return links.values().stream().allMatch(LinkClient::isUp);
  }

  public SipEndpoint sip() {
    return sip;
  }

  /** Where the admin endpoint listens, when the configuration has an {@code admin} section. */
  public Optional<InetSocketAddress> adminAddress() {
    return admin.map(AdminServer::address);
  }

  /** The gateway's meters, as {@code /metrics} shows them. */
  public ProcessMetrics metrics() {
    return metrics;
  }

  /** Presence authorisations and SIP subscription dialogs, kept across restarts. */
  public SubscriptionStore store() {
    return store;
  }

  /** Presence across the gateway; e.g. {@link PresenceBridge#restored()} after a restart. */
  public PresenceBridge presence() {
    return presence;
  }

  /**
   * Stops gracefully, within {@code shutdown.drain}:
   *
   * <ol>
   *   <li>nothing new is taken: new SIP requests are answered 503 with a Retry-After, and stanzas
   *       the proxy sends are left to it (it gives them to another gateway or holds them for this
   *       one's restart);
   *   <li>the drain: SIP transactions under way in both directions and stanzas sent to the proxy
   *       and not yet acknowledged finish, until none is left or the limit passes;
   *   <li>what sends SIP requests stops (the SIP senders, the presence thread), stanzas still
   *       waiting for the link fail (their SIP senders get 503), requests still unanswered are
   *       answered 503, and the SIP stack stops; requests still awaiting a response fail, and their
   *       XMPP senders get an error over the link;
   *   <li>each link is detached cleanly once the proxy has acknowledged what it was sent, and the
   *       store is closed.
   * </ol>
   *
   * Nothing may send on a SIP stack that is stopping: JAIN-SIP would open a connection after it
   * closed its sockets, and keep reading it. SIP subscriptions are left as they are, stored: the
   * next start resumes them (docs/decisions/0010). Safe to call more than once; later calls return
   * at once.
   */
  @Override
  public void close() {
    if (!lifecycle.advance(Phase.DRAINING)) {
      return;
    }
    Duration limit = shutdown.drain();
    LOG.info(
        "stopping: new SIP requests are answered 503, what the proxy sends is left to it, not"
            + " ready for load balancers; finishing what is under way for at most {} ms",
        limit.toMillis());
    sip.drain(limit);
    links.values().forEach(LinkClient::drain);
    long began = System.nanoTime();
    if (Drain.await(this::idle, limit)) {
      LOG.info("drained in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
    } else {
      LOG.warn(
          "drain limit of {} ms passed with {} SIP request(s) and {} SIP or link send(s) under"
              + " way; answering them",
          limit.toMillis(),
          sip.requestsUnderWay(),
          underWay.count());
    }
    lifecycle.advance(Phase.STOPPED);
    presence.close();
    links.values().forEach(link -> link.abandonWaiting("the gateway is shutting down"));
    answers.close(); // the answers given so far leave before the endpoint answers the rest 503
    sip.close();
    links.values().forEach(LinkClient::close);
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    store.close();
    // Last: /health/ready answered "stopping" throughout the drain, and /health/live stayed up.
    admin.ifPresent(AdminServer::close);
    metrics.close();
    LOG.info("stopped");
  }

  /** Whether nothing is under way: no SIP transaction, no tracked send, no presence work. */
  private boolean idle() {
    return sip.requestsUnderWay() == 0 && underWay.count() == 0 && presence.isIdle();
  }

  private static CompletionStage<Void> linkFor(Map<String, LinkClient> links, Element stanza) {
    LinkClient client = links.get(Jids.domainOf(stanza.attributeValue("from")));
    if (client == null) {
      return CompletableFuture.failedFuture(
          new LinkUnavailableException("no link for " + stanza.attributeValue("from")));
    }
    return client.send(stanza);
  }

  private static CompletionStage<SipMessaging.SipOutcome> send(SipEndpoint endpoint, SipIm im) {
    return endpoint
        .sendMessage(im.toOutgoing())
        .handle(
            (response, failure) -> {
              if (failure == null) {
                return new SipMessaging.SipOutcome(response.statusCode(), response.reasonPhrase());
              }
              Throwable cause =
                  failure instanceof CompletionException ? failure.getCause() : failure;
              if (cause instanceof SipSendException e
                  && e.reason() == SipSendException.Reason.TIMEOUT) {
                throw new CompletionException(new TimeoutException(e.getMessage()));
              }
              throw new CompletionException(cause);
            });
  }

  private static Optional<SslContext> linkTls(GatewayConfig.Link link) throws IOException {
    if (!link.tls()) {
      return Optional.empty();
    }
    KeyMaterial keys = KeyMaterial.fromPem(link.certificate(), link.key());
    TrustAnchors trust = TrustAnchors.fromPemFiles(link.trust());
    return Optional.of(JdkSslContexts.client(keys, JdkSslContexts.trusting(trust.certificates())));
  }
}
