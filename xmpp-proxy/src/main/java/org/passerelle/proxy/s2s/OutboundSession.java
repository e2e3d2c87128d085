package org.passerelle.proxy.s2s;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.dom4j.Element;
import org.passerelle.proxy.dns.ConnectTarget;
import org.passerelle.proxy.dns.DomainResolutionException;
import org.passerelle.proxy.policy.ConnectionPermit;
import org.passerelle.proxy.policy.FederationGate;
import org.passerelle.proxy.policy.FederationPolicy;
import org.passerelle.proxy.policy.PartnerPolicy;
import org.passerelle.proxy.policy.PolicyDecision;
import org.passerelle.stream.StreamErrorCondition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.PacketError;

/**
 * Everything we send from one local domain to one remote domain: a single outbound stream, reused
 * for every stanza (RFC 6120 §4.5), the stanzas queued while it is being set up, and the dialback
 * verifications that ride on it. Resolves the remote domain, tries each target in order, and
 * bounces what it holds with the right error if no stream can be established (§10.4.3).
 *
 * <p>Before anything else it asks the federation policy whether the remote domain may federate, and
 * counts its stream against the partner's max-connections; the partner's settings then stay with
 * the session for its whole life. A reload that refuses the domain, or changes its settings, ends
 * the session ({@link #policyChanged}).
 *
 * <p>Confined to one event loop: every method hops onto it, so no field needs locking; only the
 * count of stanzas not yet written or answered ({@link #waitingStanzas}) is read from other
 * threads, by a stopping proxy.
 */
final class OutboundSession {
  private static final Logger LOG = LoggerFactory.getLogger(OutboundSession.class);

  /** The session's phase; the connection's own negotiation is in {@link OutboundState}. */
  private enum Phase {
    RESOLVING,
    CONNECTING,
    ESTABLISHED,
    CLOSED
  }

  private record PendingVerify(String key, CompletableFuture<DialbackVerdict> answer) {}

  private final DomainPair pair;
  private final EventLoop loop;
  private final S2sContext context;
  private final TargetResolver resolver;
  private final Bouncer bouncer;
  private final OutboundStreams owner;
  private final ArrayDeque<Element> queue = new ArrayDeque<>();
  private final Map<String, PendingVerify> unsentVerifies = new LinkedHashMap<>();
  private final Map<String, PendingVerify> sentVerifies = new LinkedHashMap<>();

  /** Stanzas handed to {@link #send} and not yet written, bounced or handed back. */
  private final AtomicInteger waiting = new AtomicInteger();

  /** Read by the status page from other threads; written on the loop. */
  private volatile Phase phase = Phase.RESOLVING;

  /** How many stanzas wait in {@link #queue}, for metrics read from other threads. */
  private volatile int queued;

  private List<ConnectTarget> targets = List.of();
  private int nextTarget;
  private OutboundStreamHandler stream;
  private boolean streamReadyForVerify;
  private ScheduledFuture<?> establishTimer;
  private String lastFailure = "no target tried";
  private boolean authenticationRefused;
  private PacketError.Condition refusal;
  private PartnerPolicy partner;
  private ConnectionPermit permit;

  OutboundSession(
      DomainPair pair,
      EventLoop loop,
      S2sContext context,
      TargetResolver resolver,
      Bouncer bouncer,
      OutboundStreams owner) {
    this.pair = pair;
    this.loop = loop;
    this.context = context;
    this.resolver = resolver;
    this.bouncer = bouncer;
    this.owner = owner;
  }

  DomainPair pair() {
    return pair;
  }

  /** The remote domain's federation settings; set before any connection is made. */
  PartnerPolicy partner() {
    return partner;
  }

  void start() {
    loop.execute(this::admit);
    long millis = context.config().timeouts().establish().toMillis();
    establishTimer =
        loop.schedule(
            () ->
                fail(
                    // RFC 6120 §10.4.3: still resolving means the domain could not be resolved.
                    phase == Phase.RESOLVING
                        ? PacketError.Condition.remote_server_not_found
                        : PacketError.Condition.remote_server_timeout,
                    "no stream to " + pair.remote() + " within " + millis + " ms: " + lastFailure),
            millis,
            TimeUnit.MILLISECONDS);
  }

  // --- requests from other threads ---

  void send(Element stanza) {
    waiting.incrementAndGet();
    loop.execute(() -> enqueue(stanza));
  }

  /** Stanzas sent to this session that are neither on the wire nor answered yet. */
  int waitingStanzas() {
    return waiting.get();
  }

  void verify(String streamId, String key, CompletableFuture<DialbackVerdict> answer) {
    loop.execute(() -> addVerify(streamId, new PendingVerify(key, answer)));
  }

  void close() {
    loop.execute(
        () -> {
          if (stream != null) {
            stream.close();
          }
          fail(PacketError.Condition.remote_server_timeout, "shutting down");
        });
  }

  /**
   * The proxy stops: a stream not established by now will not be, and what waits for it is bounced;
   * an established one stays open for the errors still to come, until {@link #close}.
   */
  void stop(String reason) {
    loop.execute(
        () -> {
          if (phase != Phase.ESTABLISHED) {
            fail(PacketError.Condition.remote_server_timeout, reason);
          }
        });
  }

  /**
   * A new policy is in force: a domain it refuses loses its session, stanzas still queued are
   * bounced with the refusal; an established session whose settings changed is closed, so that the
   * next stanza opens a stream with the new ones.
   */
  void policyChanged(FederationPolicy policy) {
    loop.execute(
        () -> {
          if (phase == Phase.CLOSED || partner == null) {
            return;
          }
          PolicyDecision decision = context.federation().recheck(pair.remote());
          if (!decision.allowed()) {
            fail(condition(decision), decision.text());
          } else if (phase == Phase.ESTABLISHED && !decision.partner().equals(partner)) {
            LOG.info(
                "s2s-out[{}] closing: the federation policy for {} changed", pair, pair.remote());
            fail(PacketError.Condition.remote_server_timeout, "the federation policy changed");
          }
        });
  }

  // --- on the loop ---

  private void enqueue(Element stanza) {
    switch (phase) {
      case ESTABLISHED -> {
        stream.write(stanza);
        stream.flush();
        waiting.decrementAndGet();
      }
      case CLOSED -> {
        waiting.decrementAndGet();
        owner.send(stanza, pair);
      }
      default -> {
        if (queue.size() >= context.config().outboundQueueLimit()) {
          waiting.decrementAndGet();
          bouncer.bounce(
              stanza,
              PacketError.Condition.resource_constraint,
              "too many stanzas waiting for a stream to " + pair.remote());
          return;
        }
        queue.add(stanza);
        queued = queue.size();
        if (stream != null) {
          stream.authenticateIfIdle();
        }
      }
    }
  }

  private void addVerify(String streamId, PendingVerify verify) {
    if (phase == Phase.CLOSED) {
      verify.answer().complete(DialbackVerdict.UNREACHABLE);
      return;
    }
    if (streamReadyForVerify) {
      sentVerifies.put(streamId, verify);
      stream.sendVerify(streamId, verify.key());
    } else {
      unsentVerifies.put(streamId, verify);
    }
  }

  /** Stanzas waiting for the stream to be established; callable from any thread. */
  int queued() {
    return queued;
  }

  /** The session's phase in lower case; callable from any thread. */
  String phase() {
    return phase.name().toLowerCase(java.util.Locale.ROOT);
  }

  boolean isVerifyOnly() {
    return queue.isEmpty() && !unsentVerifies.isEmpty();
  }

  boolean hasStanzas() {
    return !queue.isEmpty();
  }

  /** Federation policy first: may the remote domain federate, and is there room for a stream? */
  private void admit() {
    FederationGate gate = context.federation();
    PolicyDecision decision = gate.admit(pair.remote());
    if (decision.allowed()) {
      Optional<ConnectionPermit> granted = gate.connect(decision);
      if (granted.isPresent()) {
        permit = granted.get();
        partner = decision.partner();
        resolve();
        return;
      }
      decision = gate.overConnectionLimit(decision);
    }
    fail(condition(decision), decision.text());
  }

  private static PacketError.Condition condition(PolicyDecision refusal) {
    return refusal
        .reason()
        .stanzaError()
        .toTinder()
        .orElse(PacketError.Condition.undefined_condition);
  }

  private void resolve() {
    resolver
        .resolve(pair.remote())
        .whenComplete((found, failure) -> loop.execute(() -> resolved(found, failure)));
  }

  private void resolved(List<ConnectTarget> found, Throwable failure) {
    if (phase != Phase.RESOLVING) {
      return;
    }
    if (failure != null) {
      Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
      String reason =
          cause instanceof DomainResolutionException dns
              ? dns.getMessage()
              : "cannot resolve " + pair.remote() + ": " + cause.getMessage();
      fail(PacketError.Condition.remote_server_not_found, reason);
      return;
    }
    targets = List.copyOf(found);
    phase = Phase.CONNECTING;
    connectNext();
  }

  private void connectNext() {
    if (nextTarget >= targets.size()) {
      fail(
          PacketError.Condition.remote_server_timeout,
          "no target of " + pair.remote() + " accepted a stream: " + lastFailure);
      return;
    }
    ConnectTarget target = targets.get(nextTarget++);
    LOG.debug("s2s-out[{}] connecting to {}", pair, target);
    OutboundSession session = this;
    ChannelFuture connect =
        new Bootstrap()
            .group(loop)
            .channel(context.transport().socketChannel())
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) context.config().timeouts().connect().toMillis())
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel channel) {
                    stream = S2sPipeline.outbound(channel, context, session, target);
                    owner.opened(channel);
                  }
                })
            .connect(target.address());
    connect.addListener(
        f -> {
          if (!f.isSuccess()) {
            context.events().outbound(pair, target, new OutboundStep.ConnectFailed(f.cause()));
            lastFailure = target.address() + ": " + f.cause().getMessage();
            LOG.info("s2s-out[{}] cannot connect to {}: {}", pair, target, f.cause().getMessage());
            stream = null;
            connectNext();
          }
        });
  }

  // --- callbacks from the stream handler (on the loop) ---

  void readyForVerify(OutboundStreamHandler handler) {
    if (handler != stream) {
      return;
    }
    streamReadyForVerify = true;
    for (Iterator<Map.Entry<String, PendingVerify>> it = unsentVerifies.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<String, PendingVerify> entry = it.next();
      it.remove();
      sentVerifies.put(entry.getKey(), entry.getValue());
      handler.sendVerify(entry.getKey(), entry.getValue().key());
    }
  }

  void verifyAnswered(String streamId, String from, String to, boolean valid) {
    PendingVerify verify = streamId == null ? null : sentVerifies.get(streamId);
    if (verify == null
        || !pair.remote().equalsIgnoreCase(from)
        || !pair.local().equalsIgnoreCase(to)) {
      // XEP-0220 §3.1: answers to questions we never asked are dropped.
      LOG.info("s2s-out[{}] ignoring unsolicited db:verify answer for id {}", pair, streamId);
      return;
    }
    sentVerifies.remove(streamId);
    verify.answer().complete(valid ? DialbackVerdict.VALID : DialbackVerdict.INVALID);
  }

  void streamEstablished(OutboundStreamHandler handler) {
    if (handler != stream || phase != Phase.CONNECTING) {
      return;
    }
    phase = Phase.ESTABLISHED;
    establishTimer.cancel(false);
    LOG.info("s2s-out[{}] established; sending {} queued stanza(s)", pair, queue.size());
    for (Element stanza = queue.poll(); stanza != null; stanza = queue.poll()) {
      handler.write(stanza);
      waiting.decrementAndGet();
    }
    queued = 0;
    handler.flush();
  }

  void authenticationRefused(String reason) {
    authenticationRefused = true;
    lastFailure = reason;
  }

  /**
   * The receiver ended the stream with an error before it was established. A refusal by its policy,
   * or for a domain it does not serve, is final: the same domain's other targets would answer the
   * same.
   */
  void refusedByReceiver(
      OutboundStreamHandler handler, StreamErrorCondition condition, String text) {
    if (handler != stream) {
      return;
    }
    lastFailure =
        "the receiver sent stream error "
            + condition.elementName()
            + (text.isEmpty() ? "" : ": " + text);
    switch (condition) {
      case POLICY_VIOLATION, NOT_AUTHORIZED -> refusal = PacketError.Condition.not_allowed;
      case HOST_UNKNOWN, HOST_GONE -> refusal = PacketError.Condition.remote_server_not_found;
      default -> {
        return;
      }
    }
    authenticationRefused = true;
  }

  void streamFailed(OutboundStreamHandler handler, String reason, boolean tryNextTarget) {
    if (handler == stream) {
      lastFailure = reason;
      authenticationRefused |= !tryNextTarget;
    }
  }

  void streamClosed(OutboundStreamHandler handler, boolean wasEstablished) {
    if (handler != stream) {
      return;
    }
    stream = null;
    streamReadyForVerify = false;
    failSentVerifies();
    if (phase == Phase.CONNECTING && !authenticationRefused) {
      connectNext();
    } else {
      fail(
          refusal != null
              ? refusal
              : authenticationRefused
                  ? PacketError.Condition.internal_server_error
                  : PacketError.Condition.remote_server_timeout,
          wasEstablished ? "stream closed" : lastFailure);
    }
  }

  private void failSentVerifies() {
    sentVerifies.values().forEach(v -> v.answer().complete(DialbackVerdict.UNREACHABLE));
    sentVerifies.clear();
  }

  private void fail(PacketError.Condition condition, String reason) {
    if (phase == Phase.CLOSED) {
      return;
    }
    boolean wasEstablished = phase == Phase.ESTABLISHED;
    phase = Phase.CLOSED;
    owner.remove(this);
    if (permit != null) {
      permit.release();
    }
    if (establishTimer != null) {
      establishTimer.cancel(false);
    }
    if (!wasEstablished) {
      LOG.info(
          "s2s-out[{}] failed ({}): {}; bouncing {} stanza(s)",
          pair,
          condition.toXMPP(),
          reason,
          queue.size());
    }
    queued = 0;
    for (Element stanza = queue.poll(); stanza != null; stanza = queue.poll()) {
      waiting.decrementAndGet();
      bouncer.bounce(stanza, condition, reason);
    }
    unsentVerifies.values().forEach(v -> v.answer().complete(DialbackVerdict.UNREACHABLE));
    unsentVerifies.clear();
    failSentVerifies();
    if (stream != null) {
      stream.close();
    }
  }
}
