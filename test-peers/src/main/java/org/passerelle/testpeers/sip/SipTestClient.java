package org.passerelle.testpeers.sip;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.text.ParseException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import javax.sip.ClientTransaction;
import javax.sip.SipException;
import javax.sip.header.SIPETagHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.passerelle.testpeers.Inbox;
import org.passerelle.testpeers.KamailioPeer;
import org.passerelle.testpeers.SipTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SIP user agent for tests (JAIN-SIP): registers with a SIP server, sends MESSAGEs and collects
 * those it receives, publishes its presence and subscribes to others'. Every request it starts goes
 * through the outbound proxy (the server); it listens on its own address and port over UDP and TCP.
 *
 * <pre>{@code
 * try (SipTestClient alice = SipTestClient.builder("alice", kamailio).bind("127.0.0.32").build();
 *     SipTestClient bob = SipTestClient.builder("bob", kamailio).bind("127.0.0.33").build()) {
 *   alice.register(Duration.ofMinutes(5));
 *   bob.register(Duration.ofMinutes(5));
 *   assertThat(alice.sendMessage("sip:bob@sip.test", "hello").code()).isEqualTo(200);
 *   ReceivedRequest hello = bob.awaitBody("hello", Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p>Requests over 1300 bytes go over TCP whatever the preferred transport (RFC 3261 §18.1.1).
 * Received MESSAGEs are answered 200 unless {@link #answerMessagesWith(int)} says otherwise;
 * NOTIFYs and OPTIONS are answered 200, anything else 405. Every request but OPTIONS and ACK is
 * collected for the tests to await.
 *
 * <p>A client built with {@link Builder#presenceAgent(boolean) presenceAgent(true)} is its own
 * presence agent (RFC 3856 §3, RFC 8048 §4) instead: the SUBSCRIBEs it receives wait in {@link
 * #awaitSubscribe} for the test to answer them and send the NOTIFYs.
 */
public final class SipTestClient implements AutoCloseable {

  /** Default for {@link Builder#responseTimeout}: longer than the server's own 408. */
  public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(20);

  /** Expiry of a publication made with {@link #publish(String)}. */
  public static final Duration DEFAULT_PUBLICATION_EXPIRY = Duration.ofHours(1);

  /** How long {@link #close()} waits for each unsubscribe and the unregister. */
  private static final Duration CLOSE_RESPONSE_TIMEOUT = Duration.ofSeconds(2);

  private static final Logger LOG = LoggerFactory.getLogger(SipTestClient.class);

  private final SipFactories factories = SipFactories.create();
  private final String user;
  private final String domain;
  private final SipTransport transport;
  private final Duration responseTimeout;
  private final Inbox<ReceivedRequest> messages;
  private final Inbox<ReceivedRequest> notifies;
  private final Inbox<ReceivedRequest> others;
  private final JainSipStack stack;
  private final OutgoingRequests requests;
  private final PendingTransactions pending;
  private final Optional<PresenceAgent> presenceAgent;
  private final OutgoingSubscriptions subscriptions;
  private final AtomicLong registerCseq = new AtomicLong();
  private final String registerCallId;
  private final MessageAnswers messageAnswers = new MessageAnswers();
  private volatile boolean registered;
  private volatile String publicationTag;

  private SipTestClient(Builder builder) {
    this.user = builder.user;
    this.domain = builder.domain;
    this.transport = builder.transport;
    this.responseTimeout = builder.responseTimeout;
    String owner = user + "@" + domain;
    this.messages = new Inbox<>(owner, "MESSAGE");
    this.notifies = new Inbox<>(owner, "NOTIFY");
    this.others = new Inbox<>(owner, "other request");
    this.pending = new PendingTransactions(factories.messages());
    this.presenceAgent =
        builder.presenceAgent
            ? Optional.of(
                new PresenceAgent(owner, user, transport, factories, pending, responseTimeout))
            : Optional.empty();
    UserAgentListener listener =
        new UserAgentListener(
            owner, factories, pending, messages, notifies, others, messageAnswers, presenceAgent);
    this.stack = JainSipStack.start(owner, builder.address, builder.port, listener);
    this.requests =
        new OutgoingRequests(
            factories, user, domain, stack.local(), builder.outboundProxy, transport);
    this.subscriptions = new OutgoingSubscriptions(owner, stack.provider, requests, pending);
    // §10.2: one Call-ID for all the registrations of this UA.
    this.registerCallId = requests.newCallId();
    LOG.info(
        "{} listening on {} (UDP and TCP), outbound proxy {}",
        owner,
        stack.local(),
        builder.outboundProxy);
  }

  /**
   * A client for {@code user} in the domain of {@code server}, which is also its outbound proxy.
   */
  public static Builder builder(String user, KamailioPeer server) {
    return new Builder(user, server.domain(), server.sipAddress());
  }

  /** A client for {@code sip:user@domain} that sends every request to {@code outboundProxy}. */
  public static Builder builder(String user, String domain, InetSocketAddress outboundProxy) {
    return new Builder(user, domain, outboundProxy);
  }

  /** Its address of record, {@code sip:user@domain}. */
  public String aor() {
    return requests.aor();
  }

  /** The address and port it listens on, for UDP and TCP. */
  public InetSocketAddress localAddress() {
    return stack.local();
  }

  /** The Contact it registers, e.g. {@code sip:alice@127.0.0.32:40123}. */
  public String contactUri() {
    return requests.contactUri();
  }

  /**
   * Registers {@link #contactUri()} for {@link #aor()} (RFC 3261 §10).
   *
   * @throws IllegalStateException if the registrar does not answer 2xx
   */
  public void register(Duration expires) {
    SipStatus status = sendRegister(seconds(expires), responseTimeout);
    if (!status.isSuccess()) {
      throw new IllegalStateException(aor() + ": REGISTER answered " + status);
    }
    registered = true;
  }

  /**
   * Removes the registration of {@link #contactUri()}.
   *
   * @throws IllegalStateException if the registrar does not answer 2xx
   */
  public void unregister() {
    SipStatus status = sendRegister(0, responseTimeout);
    if (!status.isSuccess()) {
      throw new IllegalStateException(aor() + ": REGISTER (expires 0) answered " + status);
    }
    registered = false;
  }

  /**
   * Sends a MESSAGE (RFC 3428) with a {@code text/plain;charset=UTF-8} body.
   *
   * @return the final response, or 408/503 if none came
   */
  public SipStatus sendMessage(String toUri, String body) {
    return sendMessage(toUri, body, Map.of());
  }

  /** Like {@link #sendMessage(String, String)}, with extra headers such as {@code Subject}. */
  public SipStatus sendMessage(String toUri, String body, Map<String, String> extraHeaders) {
    Objects.requireNonNull(body, "body");
    return status(send(() -> requests.message(toUri, body, extraHeaders)));
  }

  /**
   * Waits for a received MESSAGE that matches {@code match}, including one received before this
   * call and not yet taken.
   *
   * @throws AssertionError on timeout, listing what did arrive
   */
  public ReceivedRequest awaitMessage(Predicate<? super ReceivedRequest> match, Duration timeout) {
    return messages.await(match, timeout);
  }

  /** Waits for a received MESSAGE whose body is {@code body}; see {@link #awaitMessage}. */
  public ReceivedRequest awaitBody(String body, Duration timeout) {
    return awaitMessage(message -> body.equals(message.body()), timeout);
  }

  /**
   * Answers the MESSAGEs received from now on with {@code statusCode} (e.g. 486) instead of 200;
   * they are still collected.
   */
  public void answerMessagesWith(int statusCode) {
    messageAnswers.status(statusCode);
  }

  /**
   * Keeps the answers to the MESSAGEs received from now on until {@link #releaseMessageAnswers()}:
   * a SIP server that has fallen behind. The MESSAGEs are collected at once.
   */
  public void holdMessageAnswers() {
    messageAnswers.hold();
  }

  /** Sends the answers held since {@link #holdMessageAnswers()}; returns how many. */
  public int releaseMessageAnswers() {
    return messageAnswers.release();
  }

  /** Publishes {@code pidf} for {@link #DEFAULT_PUBLICATION_EXPIRY}; see {@link #publish}. */
  public SipStatus publish(String pidf) {
    return publish(pidf, DEFAULT_PUBLICATION_EXPIRY);
  }

  /**
   * Publishes a PIDF document (RFC 3863) as its presence (RFC 3903); a later call modifies the same
   * publication.
   */
  public SipStatus publish(String pidf, Duration expires) {
    Objects.requireNonNull(pidf, "pidf");
    Optional<String> tag = Optional.ofNullable(publicationTag);
    Response response = send(() -> requests.publish(pidf, seconds(expires), tag));
    if (response.getStatusCode() == Response.CONDITIONAL_REQUEST_FAILED && tag.isPresent()) {
      // RFC 3903 §6: the server forgot that publication; start a new one.
      response = send(() -> requests.publish(pidf, seconds(expires), Optional.empty()));
    }
    SIPETagHeader entityTag = (SIPETagHeader) response.getHeader(SIPETagHeader.NAME);
    if (response.getStatusCode() < 300 && entityTag != null) {
      publicationTag = entityTag.getETag();
    }
    return status(response);
  }

  /**
   * Subscribes to the presence of {@code presentityUri} (RFC 3856); its NOTIFYs arrive in {@link
   * #awaitNotify}.
   */
  public SipStatus subscribe(String presentityUri, Duration expires) {
    Request request = build(() -> requests.subscribe(presentityUri, seconds(expires)));
    return subscriptions.subscribe(presentityUri, request, responseTimeout);
  }

  /**
   * Refreshes the subscription to {@code presentityUri} for {@code expires}: a SUBSCRIBE in its
   * dialog (RFC 6665 §4.1.2.2), through the route set the dialog learnt.
   *
   * @return the final response, or 408/503 if none came
   * @throws IllegalStateException if the client has no such subscription
   */
  public SipStatus refresh(String presentityUri, Duration expires) {
    return subscriptions.refresh(presentityUri, seconds(expires), responseTimeout);
  }

  /**
   * Ends the subscription to {@code presentityUri}: a SUBSCRIBE with expiry 0 in its dialog (RFC
   * 6665 §4.1.2.3).
   */
  public SipStatus unsubscribe(String presentityUri) {
    return subscriptions.unsubscribe(presentityUri, responseTimeout);
  }

  /**
   * Waits for a received NOTIFY that matches {@code match}, including one received before this call
   * and not yet taken.
   *
   * @throws AssertionError on timeout, listing what did arrive
   */
  public ReceivedRequest awaitNotify(Predicate<? super ReceivedRequest> match, Duration timeout) {
    return notifies.await(match, timeout);
  }

  /**
   * Waits for a SUBSCRIBE that starts a subscription to this client, a presence agent, whose
   * request matches {@code match}, including one received before this call and not yet taken. The
   * test answers it, and sends the NOTIFYs, through the subscription returned. Kamailio sends a
   * SUBSCRIBE to a user's contact only for users of {@code
   * KamailioConfig.Builder#userAgentPresence}.
   *
   * @throws AssertionError on timeout, listing what did arrive
   * @throws IllegalStateException if the client was not built as a presence agent
   */
  public IncomingSubscription awaitSubscribe(
      Predicate<? super ReceivedRequest> match, Duration timeout) {
    return presenceAgent
        .orElseThrow(
            () -> new IllegalStateException(aor() + " was not built with presenceAgent(true)"))
        .await(match, timeout);
  }

  /**
   * Waits for a received request other than MESSAGE, NOTIFY, OPTIONS and ACK (such as a SUBSCRIBE
   * to a client that is not a presence agent, or an INVITE, which were answered 405) that matches
   * {@code match}.
   *
   * @throws AssertionError on timeout, listing what did arrive
   */
  public ReceivedRequest awaitOtherRequest(
      Predicate<? super ReceivedRequest> match, Duration timeout) {
    return others.await(match, timeout);
  }

  /**
   * Stops listening at once, leaving its registration and subscriptions behind, as a user agent
   * that crashed would: the server then finds its contact unreachable. {@link #close()} does
   * nothing more.
   */
  public void crash() {
    subscriptions.forget();
    registered = false;
    stack.close();
  }

  /**
   * Ends its subscriptions that are still up and its registration (briefly, each on its own, best
   * effort), then stops listening.
   */
  @Override
  public void close() {
    try {
      for (String presentity : subscriptions.live()) {
        cleanUp(() -> subscriptions.unsubscribe(presentity, CLOSE_RESPONSE_TIMEOUT));
      }
      if (registered) {
        cleanUp(() -> sendRegister(0, CLOSE_RESPONSE_TIMEOUT));
      }
    } finally {
      stack.close();
    }
  }

  @Override
  public String toString() {
    return "SipTestClient " + aor() + " at " + stack.local();
  }

  private SipStatus sendRegister(int expires, Duration timeout) {
    long cseq = registerCseq.incrementAndGet();
    Request request = build(() -> requests.register(registerCallId, cseq, expires));
    return status(send(request, timeout));
  }

  private void cleanUp(Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      LOG.debug("{}: could not clean up before closing", aor(), e);
    }
  }

  /** Builds a request; a bad URI from the test is its mistake. */
  @FunctionalInterface
  private interface RequestBuilder {
    Request build() throws ParseException;
  }

  private Request build(RequestBuilder builder) {
    try {
      return builder.build();
    } catch (ParseException e) {
      throw new IllegalArgumentException(aor() + ": cannot build the request: " + e, e);
    }
  }

  private Response send(RequestBuilder builder) {
    return send(build(builder), responseTimeout);
  }

  private Response send(Request request, Duration timeout) {
    try {
      ClientTransaction transaction = stack.provider.getNewClientTransaction(request);
      return pending.exchange(transaction, transaction::sendRequest, timeout);
    } catch (SipException e) {
      throw new IllegalStateException(aor() + ": cannot send " + request.getMethod(), e);
    }
  }

  private static SipStatus status(Response response) {
    return SipStatus.of(response);
  }

  private static int seconds(Duration expires) {
    if (expires.isNegative() || expires.toSeconds() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("bad expiry: " + expires);
    }
    return (int) expires.toSeconds();
  }

  /** Who the client is, where it listens and how it sends. */
  public static final class Builder {
    private final String user;
    private final String domain;
    private final InetSocketAddress outboundProxy;
    private InetAddress address = InetAddress.getLoopbackAddress();
    private int port;
    private SipTransport transport = SipTransport.UDP;
    private Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;
    private boolean presenceAgent;

    private Builder(String user, String domain, InetSocketAddress outboundProxy) {
      if (!Objects.requireNonNull(user, "user").matches("[a-z0-9][a-z0-9._-]*")) {
        throw new IllegalArgumentException("use a simple lower-case user name, not " + user);
      }
      this.user = user;
      this.domain = Objects.requireNonNull(domain, "domain");
      this.outboundProxy = Objects.requireNonNull(outboundProxy, "outboundProxy");
    }

    /** Listens on {@code address} (an IPv4 literal), on a free port; default 127.0.0.1. */
    public Builder bind(String address) {
      return bind(address, 0);
    }

    /** Listens on {@code address} (an IPv4 literal) and {@code port} (0: a free one). */
    public Builder bind(String address, int port) {
      if (!Objects.requireNonNull(address, "address").matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
        throw new IllegalArgumentException("not an IPv4 literal: " + address);
      }
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("not a port number: " + port);
      }
      try {
        // A literal: no lookup happens.
        this.address = InetAddress.getByName(address);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not an IPv4 literal: " + address, e);
      }
      this.port = port;
      return this;
    }

    /**
     * The transport of its requests and of its Contact; default UDP. Requests over 1300 bytes go
     * over TCP anyway.
     */
    public Builder transport(SipTransport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /** How long to wait for a final response before concluding 408; default 20 s. */
    public Builder responseTimeout(Duration responseTimeout) {
      if (responseTimeout.isNegative() || responseTimeout.isZero()) {
        throw new IllegalArgumentException("responseTimeout must be positive: " + responseTimeout);
      }
      this.responseTimeout = responseTimeout;
      return this;
    }

    /**
     * Whether the client is its own presence agent (RFC 3856 §3): SUBSCRIBEs wait in {@link
     * SipTestClient#awaitSubscribe} for the test's answer. Default false: they are answered 405.
     */
    public Builder presenceAgent(boolean presenceAgent) {
      this.presenceAgent = presenceAgent;
      return this;
    }

    /** Starts listening. */
    public SipTestClient build() {
      return new SipTestClient(this);
    }
  }
}
