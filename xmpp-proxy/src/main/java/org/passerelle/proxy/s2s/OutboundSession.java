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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.dom4j.Element;
import org.passerelle.proxy.dns.ConnectTarget;
import org.passerelle.proxy.dns.DomainResolutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.PacketError;

/**
 * Everything we send from one local domain to one remote domain: a single outbound stream, reused
 * for every stanza (RFC 6120 §4.5), the stanzas queued while it is being set up, and the dialback
 * verifications that ride on it. Resolves the remote domain, tries each target in order, and
 * bounces what it holds with the right error if no stream can be established (§10.4.3).
 *
 * <p>Confined to one event loop: every method hops onto it, so no field needs locking.
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

  private Phase phase = Phase.RESOLVING;
  private List<ConnectTarget> targets = List.of();
  private int nextTarget;
  private OutboundStreamHandler stream;
  private boolean streamReadyForVerify;
  private ScheduledFuture<?> establishTimer;
  private String lastFailure = "no target tried";
  private boolean authenticationRefused;

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

  void start() {
    loop.execute(this::resolve);
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
    loop.execute(() -> enqueue(stanza));
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

  // --- on the loop ---

  private void enqueue(Element stanza) {
    switch (phase) {
      case ESTABLISHED -> {
        stream.write(stanza);
        stream.flush();
      }
      case CLOSED -> owner.send(stanza, pair);
      default -> {
        if (queue.size() >= context.config().outboundQueueLimit()) {
          bouncer.bounce(
              stanza,
              PacketError.Condition.resource_constraint,
              "too many stanzas waiting for a stream to " + pair.remote());
          return;
        }
        queue.add(stanza);
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

  boolean isVerifyOnly() {
    return queue.isEmpty() && !unsentVerifies.isEmpty();
  }

  boolean hasStanzas() {
    return !queue.isEmpty();
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
                  }
                })
            .connect(target.address());
    connect.addListener(
        f -> {
          if (!f.isSuccess()) {
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
    }
    handler.flush();
  }

  void authenticationRefused(String reason) {
    authenticationRefused = true;
    lastFailure = reason;
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
          authenticationRefused
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
    for (Element stanza = queue.poll(); stanza != null; stanza = queue.poll()) {
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
