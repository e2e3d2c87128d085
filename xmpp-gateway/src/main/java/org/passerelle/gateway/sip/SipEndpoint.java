package org.passerelle.gateway.sip;

import gov.nist.javax.sip.SipStackImpl;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import org.passerelle.gateway.sip.stream.SipStreamServer;
import org.passerelle.gateway.sip.stream.SipStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's SIP endpoint: one JAIN-SIP stack with a listening point and a provider per enabled
 * transport. Sends MESSAGE requests, makes and serves event subscriptions ({@link
 * #subscriptions()}, {@link #notifier()}) and hands received requests to {@link SipHandlers}.
 * Thread-safe; {@link #close()} stops the stack and fails what is still waiting.
 *
 * <p>A stopping gateway first {@linkplain #drain drains} the endpoint: new requests are answered
 * 503, requests under way in both directions finish ({@link #requestsUnderWay}); then it closes.
 */
public final class SipEndpoint implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SipEndpoint.class);

  /**
   * RFC 3261 §18.1.1: with the path MTU unknown, a request larger than this must use a
   * congestion-controlled transport.
   */
  public static final int MAX_UDP_REQUEST_BYTES = 1300;

  /** How long a MESSAGE stream with nothing under way stays open. */
  static final Duration STREAM_IDLE_TIMEOUT = Duration.ofMinutes(5);

  /**
   * How long a connection to our listener that carries nothing stays open: longer than a SIP
   * server's keep-alive interval (RFC 5626 suggests 95–120 s for TCP), so that its flow stays up.
   */
  static final Duration LISTENER_IDLE_TIMEOUT = Duration.ofMinutes(10);

  /** Connections our listener keeps open at once, per transport; more are closed as they come. */
  static final int MAX_LISTENER_CONNECTIONS = 1024;

  private final SipSettings settings;
  private final SipStackImpl stack;
  private final MessageRequests requests;
  private final ClientTransactions transactions = new ClientTransactions();
  private final RequestSender sender;
  private final Subscriber subscriber;
  private final Notifier notifier;
  private final ExecutorService dnsExecutor;
  private final SubscriptionTimers timers = new SubscriptionTimers();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ServerRequests serverRequests;
  private final SipStreams streams;
  private final EventLoopGroup group;
  private final Optional<EventLoopGroup> ownGroup;
  private final List<SipStreamServer> listeners = new CopyOnWriteArrayList<>();
  private volatile StreamRequests streamRequests;

  private SipEndpoint(
      SipSettings settings,
      SipStackImpl stack,
      Map<SipTransport, SipProvider> providers,
      SipServerLocator locator,
      SipHandlers handlers,
      ExecutorService dnsExecutor,
      SipTransactionEvents transactionEvents,
      EventLoopGroup group,
      Optional<EventLoopGroup> ownGroup) {
    this.settings = settings;
    this.stack = stack;
    this.requests = new MessageRequests(settings.bindAddress());
    this.serverRequests = new ServerRequests(requests);
    this.group = group;
    this.ownGroup = ownGroup;
    this.streams =
        new SipStreams(
            group,
            new SipStreams.Settings(
                settings.bindAddress(),
                ((JainSipPlugins.SocketLayer) stack.getNetworkLayer()).tlsContext(),
                List.of(StackProperties.TLS_PROTOCOLS.split(",")),
                settings.transactionTimeout(),
                settings.maxBodyBytes() + StackProperties.HEADER_ALLOWANCE_BYTES,
                STREAM_IDLE_TIMEOUT,
                Duration.ofMillis(JainSipPlugins.SocketLayer.CONNECT_TIMEOUT_MS)),
            new StreamResponses(requests));
    this.sender =
        new RequestSender(
            settings, providers, locator, transactions, closed::get, transactionEvents, streams);
    this.dnsExecutor = dnsExecutor;
    EventRequests events = new EventRequests(requests, settings);
    this.subscriber =
        new Subscriber(settings, events, sender, timers, handlers.notificationListener());
    this.notifier = new Notifier(events, sender, timers, handlers.subscriptionHandler());
  }

  /**
   * Starts a stack listening on every enabled transport.
   *
   * @throws IOException if a port cannot be bound or the TLS material cannot be loaded
   */
  public static SipEndpoint start(SipSettings settings, SipHandlers handlers) throws IOException {
    return start(settings, handlers, SipTransactionEvents.NONE);
  }

  /** As {@link #start(SipSettings, SipHandlers)}, telling {@code events} how transactions end. */
  public static SipEndpoint start(
      SipSettings settings, SipHandlers handlers, SipTransactionEvents events) throws IOException {
    return start(settings, handlers, events, Optional.empty());
  }

  /**
   * As {@link #start(SipSettings, SipHandlers, SipTransactionEvents)}, with the MESSAGE streams on
   * {@code group}'s NIO event loops: a MESSAGE sent from one of them is written without a hand-off.
   */
  public static SipEndpoint start(
      SipSettings settings,
      SipHandlers handlers,
      SipTransactionEvents events,
      Optional<EventLoopGroup> group)
      throws IOException {
    ExecutorService dnsExecutor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "sip-dns");
              t.setDaemon(true);
              return t;
            });
    return start(settings, handlers, new DnsjavaSipDns(dnsExecutor), dnsExecutor, events, group);
  }

  static SipEndpoint start(
      SipSettings settings, SipHandlers handlers, SipDns dns, ExecutorService dnsExecutor)
      throws IOException {
    return start(settings, handlers, dns, dnsExecutor, SipTransactionEvents.NONE, Optional.empty());
  }

  static SipEndpoint start(
      SipSettings settings,
      SipHandlers handlers,
      SipDns dns,
      ExecutorService dnsExecutor,
      SipTransactionEvents events,
      Optional<EventLoopGroup> group)
      throws IOException {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(handlers, "handlers");
    SipStackImpl stack;
    try {
      stack = new SipStackImpl(StackProperties.of(settings));
    } catch (javax.sip.PeerUnavailableException e) {
      dnsExecutor.shutdownNow();
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IOException("cannot create the SIP stack: " + cause.getMessage(), cause);
    }
    Map<SipTransport, SipProvider> providers = new EnumMap<>(SipTransport.class);
    Optional<EventLoopGroup> ownGroup =
        group.isPresent()
            ? Optional.empty()
            : Optional.of(new NioEventLoopGroup(1, new DefaultThreadFactory("sip-stream", true)));
    SipEndpoint endpoint =
        new SipEndpoint(
            settings,
            stack,
            providers,
            new SipServerLocator(dns, settings.ports().keySet(), settings.dnsTimeout()),
            handlers,
            dnsExecutor,
            events,
            group.or(() -> ownGroup).orElseThrow(),
            ownGroup);
    InboundRequests inbound =
        new InboundRequests(
            settings,
            handlers,
            endpoint.requests,
            endpoint.subscriber,
            endpoint.notifier,
            endpoint.serverRequests,
            events);
    Listener listener = endpoint.new Listener(inbound);
    String host = settings.bindAddress().getHostAddress();
    try {
      for (Map.Entry<SipTransport, Integer> e : settings.ports().entrySet()) {
        ListeningPoint lp;
        try {
          lp = stack.createListeningPoint(host, e.getValue(), e.getKey().token());
        } catch (javax.sip.TransportNotSupportedException | javax.sip.InvalidArgumentException x) {
          throw new IOException(
              "cannot listen on "
                  + host
                  + ":"
                  + e.getValue()
                  + "/"
                  + e.getKey().token()
                  + ": "
                  + x.getMessage(),
              x);
        }
        SipProvider provider = stack.createSipProvider(lp);
        provider.addSipListener(listener);
        providers.put(e.getKey(), provider);
      }
      stack.start();
      endpoint.listen(new StreamRequests(inbound));
    } catch (IOException
        | java.util.TooManyListenersException
        | SipException
        | RuntimeException e) {
      endpoint.close();
      throw e instanceof IOException io
          ? io
          : new IOException("cannot start the SIP stack: " + e, e);
    }
    log.info("SIP endpoint started: {}", settings);
    return endpoint;
  }

  /**
   * Our own listener on every TCP and TLS port (decision 17). JAIN-SIP keeps its TCP and TLS
   * transports for the SUBSCRIBEs and NOTIFYs it sends, and the responses to them, which come back
   * on the connections it opens; {@link JainSipPlugins.SocketLayer} gives its listening sockets a
   * port nobody is told.
   */
  private void listen(StreamRequests requests) throws IOException {
    streamRequests = requests;
    for (Map.Entry<SipTransport, Integer> e : settings.ports().entrySet()) {
      if (!e.getKey().isReliable()) {
        continue;
      }
      Optional<SipStreamServer.Tls> tls = Optional.empty();
      if (e.getKey() == SipTransport.TLS) {
        SipTlsSettings material = settings.tls().orElseThrow();
        tls =
            Optional.of(
                new SipStreamServer.Tls(
                    ((JainSipPlugins.SocketLayer) stack.getNetworkLayer())
                        .tlsContext()
                        .orElseThrow(),
                    List.of(StackProperties.TLS_PROTOCOLS.split(",")),
                    switch (material.clientAuth()) {
                      case NONE -> SipStreamServer.ClientAuth.NONE;
                      case WANT -> SipStreamServer.ClientAuth.WANT;
                      case NEED -> SipStreamServer.ClientAuth.NEED;
                    }));
      }
      listeners.add(
          SipStreamServer.bind(
              group,
              new SipStreamServer.Settings(
                  new InetSocketAddress(settings.bindAddress(), e.getValue()),
                  tls,
                  settings.maxBodyBytes() + StackProperties.HEADER_ALLOWANCE_BYTES,
                  LISTENER_IDLE_TIMEOUT,
                  MAX_LISTENER_CONNECTIONS),
              requests));
    }
  }

  public SipSettings settings() {
    return settings;
  }

  /** Whether the endpoint runs: started and not closed. */
  public boolean isRunning() {
    return !closed.get();
  }

  /**
   * The client transactions JAIN-SIP holds in its table: those still waiting for their final
   * response. Over TCP and TLS a non-INVITE transaction ends with its final response (RFC 3261
   * §17.1.2.2, Timer K is zero), so this is the number of requests in flight.
   */
  int clientTransactionsInStack() {
    return stack.getClientTransactionTableSize();
  }

  /** The connections the endpoint opened for MESSAGEs over TCP and TLS, open or opening. */
  public int streamConnections() {
    return streams.connections();
  }

  /** The connections open to the endpoint's own TCP and TLS listener (decision 17). */
  public int listenerConnections() {
    int open = 0;
    for (SipStreamServer listener : listeners) {
      open += listener.connections();
    }
    return open;
  }

  /** Where the endpoint listens for a transport. */
  public InetSocketAddress localAddress(SipTransport transport) {
    Integer port = settings.ports().get(transport);
    if (port == null) {
      throw new IllegalArgumentException(transport + " is not enabled");
    }
    return new InetSocketAddress(settings.bindAddress(), port);
  }

  /**
   * The subscriber role: subscriptions this endpoint makes (RFC 6665 §4.1); their NOTIFYs go to the
   * {@link NotificationListener} of the {@link SipHandlers}.
   */
  public SubscriptionClient subscriptions() {
    return subscriber;
  }

  /**
   * The notifier role: NOTIFYs in the subscriptions accepted through the {@link
   * SubscriptionHandler} (RFC 6665 §4.2).
   */
  public SubscriptionNotifier notifier() {
    return notifier;
  }

  /**
   * Sends a MESSAGE outside a dialog (RFC 3428) to the outbound proxy if one is configured, else to
   * the server of its Request-URI (RFC 3263, see {@link SipServerLocator}). Requests over {@value
   * #MAX_UDP_REQUEST_BYTES} bytes go over TCP (RFC 3261 §18.1.1). Over TCP and TLS it goes on the
   * endpoint's own stream (decision 16). It does not wait for the network, so an event loop may
   * call it: a connection is opened in the background, a name resolved on the DNS thread.
   *
   * @return the final response, whatever its status; or a failure with a {@link SipSendException}
   *     when no final response came
   */
  public CompletionStage<SipResponseInfo> sendMessage(OutgoingMessage message) {
    Objects.requireNonNull(message, "message");
    if (closed.get()) {
      return RequestSender.failed(SipSendException.Reason.CLOSED, "the SIP endpoint is closed");
    }
    byte[] body = message.body().getBytes(StandardCharsets.UTF_8);
    if (body.length > settings.maxBodyBytes()) {
      return RequestSender.failed(
          SipSendException.Reason.TOO_LARGE,
          "body of " + body.length + " bytes exceeds the limit of " + settings.maxBodyBytes());
    }
    MessageDraft draft;
    SipServerAddress nextHop;
    try {
      draft = requests.draft(message, body);
      nextHop = settings.outboundProxy().orElseGet(draft::server);
    } catch (ParseException | IllegalArgumentException e) {
      return RequestSender.failed(SipSendException.Reason.INVALID_ADDRESS, e.getMessage());
    }
    return sender.sendMessage(
        draft, nextHop, draft.secure(), requests.sizeBound(message, body.length));
  }

  /**
   * Takes no new request from now on: each is answered 503 with {@code Retry-After: retryAfter} (at
   * least a second). Requests under way go on; {@link #close} ends them.
   */
  public void drain(Duration retryAfter) {
    serverRequests.drain(retryAfter);
    log.info("SIP endpoint draining: new requests are answered 503");
  }

  /**
   * Requests under way: received and not answered yet, or sent (MESSAGE, SUBSCRIBE, NOTIFY) and
   * awaiting their final response.
   */
  public int requestsUnderWay() {
    return serverRequests.unanswered() + sender.underWay();
  }

  /**
   * Answers 503 to what is still unanswered, then stops the stack; requests still waiting for a
   * response fail with {@code CLOSED}. Idempotent. Takes about a second: JAIN-SIP waits for its
   * threads.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    streams.close();
    listeners.forEach(SipStreamServer::stopAccepting);
    StreamRequests waiting = streamRequests;
    if (waiting != null) {
      waiting.close();
    }
    int abandoned = serverRequests.abandonAll();
    if (abandoned > 0) {
      log.info("answered 503 to {} request(s) still unanswered", abandoned);
    }
    // After the 503s: a connection closes once what was written to it has left.
    listeners.forEach(SipStreamServer::close);
    try {
      stack.stop();
    } catch (RuntimeException e) {
      // COMPAT: JAIN-SIP: stopping a UDP listening point whose thread has not run yet throws a
      // NullPointerException (UDPMessageProcessor.stop). That processor is already removed and
      // its socket closed; stopping again shuts down the rest.
      log.debug("stopping the SIP stack again after {}", e.toString());
      stack.stop();
    }
    if (stack.getNetworkLayer() instanceof JainSipPlugins.SocketLayer sockets) {
      sockets.closeAll();
    }
    dnsExecutor.shutdownNow();
    timers.close();
    transactions.failAll(SipSendException.Reason.CLOSED, "the SIP endpoint was closed");
    ownGroup.ifPresent(g -> g.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly());
    log.info("SIP endpoint stopped");
  }

  /** Routes JAIN-SIP's events; called on JAIN-SIP threads. */
  private final class Listener implements SipListener {
    private final InboundRequests inbound;

    Listener(InboundRequests inbound) {
      this.inbound = inbound;
    }

    @Override
    public void processRequest(RequestEvent event) {
      SipProvider provider = (SipProvider) event.getSource();
      SipTransport transport =
          SipTransport.fromToken(provider.getListeningPoints()[0].getTransport());
      try {
        inbound.onRequest(event, transport);
      } catch (RuntimeException e) {
        log.error("failed to handle a {} request", event.getRequest().getMethod(), e);
      }
    }

    @Override
    public void processResponse(ResponseEvent event) {
      transactions.onResponse(event.getClientTransaction(), event.getResponse());
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
      if (!event.isServerTransaction()) {
        transactions.onTimeout(event.getClientTransaction(), settings.transactionTimeout());
      }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
      log.debug(
          "connection error with {}:{}/{}", event.getHost(), event.getPort(), event.getTransport());
      transactions.onTransportError(event.getHost(), event.getPort(), event.getTransport());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
      if (!event.isServerTransaction()) {
        transactions.onTerminated(event.getClientTransaction());
      }
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {}
  }
}
