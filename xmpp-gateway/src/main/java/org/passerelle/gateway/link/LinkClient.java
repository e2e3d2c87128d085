package org.passerelle.gateway.link;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.passerelle.model.Correlation;
import org.passerelle.model.Namespaces;
import org.passerelle.model.StanzaErrors;
import org.passerelle.model.StanzaKind;
import org.passerelle.model.lifecycle.Lifecycle;
import org.passerelle.model.lifecycle.Phase;
import org.passerelle.stream.NamespaceMapping;
import org.passerelle.stream.StreamEnd;
import org.passerelle.stream.StreamErrors;
import org.passerelle.stream.StreamException;
import org.passerelle.stream.StreamHeader;
import org.passerelle.stream.StreamLimits;
import org.passerelle.stream.XmlStreamDecoder;
import org.passerelle.stream.XmlStreamEncoder;
import org.passerelle.stream.component.AckPacer;
import org.passerelle.stream.component.ComponentHandshake;
import org.passerelle.stream.component.StreamManagement;
import org.passerelle.stream.component.UnackedStanzas;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's connection to the proxy, kept up for the gateway's whole life: connects, attaches
 * with the component handshake (XEP-0114 §3), reconnects with jittered exponential backoff. Until
 * the link has first attached, and for at most {@link #START_PATIENCE_NANOS} after {@link #start},
 * the backoff does not grow: the proxy is usually starting beside us (docker compose, {@code ./dev
 * run}), and a doubling delay would leave the gateway unlinked for up to as long again after the
 * proxy listens.
 *
 * <p>{@link #send} completes when the proxy has acknowledged the stanza (or, without
 * acknowledgements, when it is written). Stanzas sent while the link is down wait up to {@code
 * hold}; stanzas unacknowledged when a link drops are sent again on the next one — the proxy
 * acknowledges everything it took before it closes, so what is left was not taken.
 *
 * <p>A stopping gateway {@linkplain #drain drains} the link first: with acknowledgements, stanzas
 * the proxy sends from then on are left unacknowledged, so that the proxy gives them to another
 * gateway or holds them for this one's restart instead of this gateway starting work it may not
 * finish. Without acknowledgements (another server's component port), nobody could take them back:
 * they are handled as usual.
 *
 * <p>All state is confined to one event loop, but for the drain's {@link Lifecycle}.
 */
public final class LinkClient implements AutoCloseable, ReadGate.Reader {
  private static final Logger LOG = LoggerFactory.getLogger(LinkClient.class);
  private static final XmlStreamEncoder ENCODER = new XmlStreamEncoder(NamespaceMapping.LINK);
  private static final long HOLD_CHECK_MILLIS = 250;
  private static final long CLOSE_DRAIN_MILLIS = 3_000;
  private static final long START_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** The link's state (XEP-0114 §3); the first three repeat on every reconnect. */
  private enum State {
    DISCONNECTED,
    CONNECTING,
    AWAITING_HEADER,
    AWAITING_HANDSHAKE,
    OPEN,
    CLOSED
  }

  private record Pending(Element stanza, CompletableFuture<Void> done, long deadlineNanos) {}

  private final LinkSettings settings;
  private final LinkListener listener;
  private final EventLoop loop;
  private final Class<? extends SocketChannel> channelType;
  private final StreamLimits limits;

  private final Lifecycle lifecycle = new Lifecycle();
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
  private final UnackedStanzas<Pending> unacked = new UnackedStanzas<>();

  /** Written on the loop only; volatile for {@link #isUp()} and {@link #describe()}. */
  private volatile State state = State.DISCONNECTED;

  private volatile Instant upSince;
  private volatile boolean reading = true;
  private Channel channel;
  private long handled;
  private final AckPacer acks;
  private long backoffMillis;
  private long startedNanos;
  private int failedBeforeFirstAttach;
  private CompletableFuture<Void> closing;

  public LinkClient(
      LinkSettings settings,
      LinkListener listener,
      EventLoop loop,
      Class<? extends SocketChannel> channelType,
      StreamLimits limits) {
    this.settings = settings;
    this.listener = listener;
    this.loop = loop;
    this.channelType = channelType;
    this.limits = limits;
    this.backoffMillis = settings.minBackoff().toMillis();
    this.acks =
        new AckPacer(
            AckPacer.Scheduler.on(loop),
            () -> {
              if (channel != null && state == State.OPEN) {
                channel.writeAndFlush(StreamManagement.ack(handled));
              }
            });
  }

  public void start() {
    startedNanos = System.nanoTime();
    loop.execute(this::connect);
    loop.scheduleAtFixedRate(
        this::expireWaiting, HOLD_CHECK_MILLIS, HOLD_CHECK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * From now on, with acknowledgements, stanzas from the proxy are left to it (see the class
   * comment); sends go on as before.
   */
  public void drain() {
    if (lifecycle.advance(Phase.DRAINING) && settings.acknowledgements()) {
      LOG.info(
          "link for {}: leaving what the proxy sends from now on to the proxy", settings.domain());
    }
  }

  /**
   * Fails the stanzas still waiting for the link to come up (not yet written), so that their
   * senders are answered while the SIP side can still answer. Waits briefly for it to be done.
   */
  public void abandonWaiting(String reason) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop.execute(
        () -> {
          failWaiting(reason);
          done.complete(null);
        });
    done.orTimeout(1, TimeUnit.SECONDS).exceptionally(e -> null).join();
  }

  /** Whether the link is attached right now. */
  public boolean isUp() {
    return state == State.OPEN;
  }

  /** The link's state for people: where to, in which state, since when attached. */
  public String describe() {
    Instant since = upSince;
    State now = state;
    return settings.server()
        + " "
        + now.name().toLowerCase(Locale.ROOT).replace('_', ' ')
        + (now == State.OPEN && since != null ? " since " + since : "");
  }

  /**
   * Sends a stanza (in {@code jabber:server}) to the proxy. The stage fails with {@link
   * LinkUnavailableException} when the link stays down longer than the hold time or too much is
   * pending.
   */
  public CompletionStage<Void> send(Element stanza) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop.execute(() -> enqueue(stanza, done));
    return done;
  }

  private void enqueue(Element stanza, CompletableFuture<Void> done) {
    if (state == State.CLOSED || closing != null) {
      done.completeExceptionally(new LinkUnavailableException("the gateway is shutting down"));
      return;
    }
    if (waiting.size() + unacked.size() >= roomFor(stanza)) {
      done.completeExceptionally(
          new LinkUnavailableException(
              settings.pendingLimit() + " stanzas already wait for the link"));
      return;
    }
    if (!settings.correlationIds()) {
      Correlation.strip(stanza);
    }
    Pending pending = new Pending(stanza, done, System.nanoTime() + settings.hold().toNanos());
    if (state == State.OPEN) {
      write(pending);
      channel.flush();
    } else {
      waiting.add(pending);
    }
  }

  /**
   * How many stanzas may be pending when this one comes. A reply (an error, an IQ result) answers a
   * stanza the proxy sent us and cannot be answered itself if it is refused (RFC 6120 §8.3.1): it
   * may use a reserve of the same size again, so that a link full of new stanzas (a SIP flood, a
   * slow proxy) never keeps a bounce from its XMPP sender. Replies are bounded by what the proxy
   * may send (its {@code link.window}) and what waits for SIP ({@code im.sip-in-flight}).
   */
  private int roomFor(Element stanza) {
    int limit = settings.pendingLimit();
    return StanzaErrors.isBounceable(stanza) ? limit : 2 * limit;
  }

  private void write(Pending pending) {
    if (settings.acknowledgements()) {
      unacked.sent(pending);
      channel.write(pending.stanza());
    } else {
      channel
          .write(pending.stanza())
          .addListener(
              f -> {
                if (f.isSuccess()) {
                  pending.done().complete(null);
                } else {
                  pending.done().completeExceptionally(f.cause());
                }
              });
    }
  }

  private void expireWaiting() {
    long now = System.nanoTime();
    while (!waiting.isEmpty() && waiting.peek().deadlineNanos() - now < 0) {
      waiting
          .poll()
          .done()
          .completeExceptionally(
              new LinkUnavailableException(
                  "no link to the proxy within " + settings.hold().toSeconds() + " s"));
    }
  }

  // --- connection lifecycle ---

  /**
   * At most one TLS record's worth (~45 messages) per turn of the event loop. The SIP answers to
   * what the link brought share the loop (decision 16); with Netty's default of 16 reads of up to
   * 64 KiB a turn, thousands of new messages went out before one answer was read, and what waited
   * for SIP grew past {@code im.sip-in-flight} while the SIP server was keeping up.
   */
  private static final RecvByteBufAllocator FAIR_READS =
      new AdaptiveRecvByteBufAllocator(64, 2048, 16 * 1024).maxMessagesPerRead(1);

  private void connect() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CONNECTING;
    new Bootstrap()
        .group(loop)
        .channel(channelType)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
        .option(ChannelOption.RCVBUF_ALLOCATOR, FAIR_READS)
        .handler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                settings
                    .tls()
                    .ifPresent(
                        tls ->
                            ch.pipeline()
                                .addLast(
                                    "tls",
                                    tls.newHandler(
                                        ch.alloc(),
                                        settings.server().getHostString(),
                                        settings.server().getPort())));
                ch.pipeline()
                    .addLast("flush", new FlushConsolidationHandler(256, true))
                    .addLast("decoder", new XmlStreamDecoder(limits, NamespaceMapping.LINK))
                    .addLast("encoder", ENCODER)
                    .addLast("link", new Connection());
              }
            })
        .connect(settings.server())
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (!f.isSuccess()) {
                    if (upSince != null || failedBeforeFirstAttach++ == 0) {
                      LOG.info("link to {} failed: {}", settings.server(), f.cause().getMessage());
                    } else {
                      LOG.debug(
                          "link to {} failed again: {}", settings.server(), f.cause().getMessage());
                    }
                    disconnected();
                  }
                });
  }

  private void disconnected() {
    if (state == State.OPEN) {
      listener.onLinkDown();
    }
    channel = null;
    List<Pending> untaken = unacked.drain();
    if (!untaken.isEmpty()) {
      LOG.info(
          "link lost with {} unacknowledged stanza(s); they go again on the next link",
          untaken.size());
      for (int i = untaken.size() - 1; i >= 0; i--) {
        waiting.addFirst(untaken.get(i));
      }
    }
    if (state == State.CLOSED) {
      failWaiting("the gateway is shutting down");
      return;
    }
    if (closing != null) {
      state = State.CLOSED;
      failWaiting("the gateway is shutting down");
      closing.complete(null);
      return;
    }
    state = State.DISCONNECTED;
    long delay = ThreadLocalRandom.current().nextLong(backoffMillis / 2, backoffMillis + 1);
    if (!startingUp()) {
      backoffMillis = Math.min(backoffMillis * 2, settings.maxBackoff().toMillis());
    }
    loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }

  /**
   * Stops or resumes reading from the proxy ({@link ReadGate}); a new link follows once attached.
   * Unread stanzas are not acknowledged, so the proxy holds them within its window.
   */
  @Override
  public void reading(boolean reading) {
    this.reading = reading;
    loop.execute(
        () -> {
          if (channel != null && state == State.OPEN) {
            channel.config().setAutoRead(this.reading);
          }
        });
  }

  /** Not yet attached since start, and started recently: see the class comment. */
  private boolean startingUp() {
    return upSince == null && System.nanoTime() - startedNanos < START_PATIENCE_NANOS;
  }

  private void opened() {
    state = State.OPEN;
    channel.config().setAutoRead(reading);
    upSince = Instant.now();
    backoffMillis = settings.minBackoff().toMillis();
    if (settings.acknowledgements()) {
      channel.write(StreamManagement.enable());
    }
    LOG.info(
        "link to {} attached for {}; sending {} waiting stanza(s)",
        settings.server(),
        settings.domain(),
        waiting.size());
    for (Pending pending = waiting.poll(); pending != null; pending = waiting.poll()) {
      write(pending);
    }
    channel.flush();
    listener.onLinkUp();
  }

  private void failWaiting(String reason) {
    for (Pending pending = waiting.poll(); pending != null; pending = waiting.poll()) {
      pending.done().completeExceptionally(new LinkUnavailableException(reason));
    }
  }

  /**
   * Detaches cleanly: asks the proxy to acknowledge what it took, waits for that (bounded), then
   * ends the stream. What is still waiting fails.
   */
  @Override
  public void close() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop.execute(
        () -> {
          closing = done;
          if (state != State.OPEN) {
            state = State.CLOSED;
            failWaiting("the gateway is shutting down");
            if (channel != null) {
              channel.close();
            }
            done.complete(null);
            return;
          }
          if (settings.acknowledgements()) {
            acks.acknowledged();
            channel.write(StreamManagement.ack(handled));
            channel.writeAndFlush(StreamManagement.request());
          }
          loop.schedule(
              this::endStream, unacked.isEmpty() ? 0 : CLOSE_DRAIN_MILLIS, TimeUnit.MILLISECONDS);
        });
    done.orTimeout(CLOSE_DRAIN_MILLIS * 2, TimeUnit.MILLISECONDS).exceptionally(e -> null).join();
  }

  private void endStream() {
    if (channel != null && channel.isActive()) {
      channel.writeAndFlush(StreamEnd.INSTANCE).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private void acknowledged(long h) {
    List<Pending> done = unacked.acknowledge(h);
    if (done == null) {
      LOG.warn("proxy acknowledged more than was sent (h={}); reconnecting", h);
      channel.close();
      return;
    }
    done.forEach(p -> p.done().complete(null));
    if (closing != null && unacked.isEmpty()) {
      endStream();
    }
  }

  /** One TCP connection's handler; forwards to the client's state machine. */
  private final class Connection extends ChannelInboundHandlerAdapter {
    private String streamId;

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      channel = ctx.channel();
      state = State.AWAITING_HEADER;
      // XEP-0198 §4: counters belong to one stream; the new one counts from zero.
      handled = 0;
      acks.acknowledged();
      ctx.writeAndFlush(
          new StreamHeader(
              Namespaces.COMPONENT_ACCEPT, settings.domain(), null, null, null, null, false));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof StreamHeader header) {
        streamId = header.id();
        if (streamId == null) {
          LOG.warn("link: the server sent no stream id");
          ctx.close();
          return;
        }
        state = State.AWAITING_HANDSHAKE;
        ctx.writeAndFlush(
            DocumentHelper.createElement(ComponentHandshake.ELEMENT)
                .addText(ComponentHandshake.digest(streamId, settings.secret())));
      } else if (msg instanceof Element element) {
        onElement(ctx, element);
      } else if (msg == StreamEnd.INSTANCE) {
        LOG.info("link: the proxy closed the stream");
        if (settings.acknowledgements() && state == State.OPEN) {
          acks.acknowledged();
          ctx.write(StreamManagement.ack(handled));
        }
        ctx.writeAndFlush(StreamEnd.INSTANCE).addListener(ChannelFutureListener.CLOSE);
      }
    }

    private void onElement(ChannelHandlerContext ctx, Element element) {
      if (StreamErrors.isStreamError(element)) {
        LOG.warn(
            "link refused by {}: {} {}",
            settings.server(),
            StreamErrors.conditionOf(element).elementName(),
            StreamErrors.textOf(element));
        ctx.close();
        return;
      }
      if (state == State.AWAITING_HANDSHAKE) {
        if (ComponentHandshake.ELEMENT.equals(element.getQName())) {
          opened();
        } else {
          LOG.warn("link: expected <handshake/>, got {}", element.getName());
          ctx.close();
        }
        return;
      }
      if (StreamManagement.NAMESPACE.equals(element.getNamespaceURI())) {
        if (StreamManagement.is(element, "a")) {
          acknowledged(StreamManagement.handled(element));
        } else if (StreamManagement.is(element, "r")) {
          acks.acknowledged();
          ctx.writeAndFlush(StreamManagement.ack(handled));
        }
        return;
      }
      if (StanzaKind.of(element, Namespaces.SERVER) == null) {
        LOG.warn("link: ignoring unexpected {}", element.getQualifiedName());
        return;
      }
      if (!lifecycle.isRunning() && settings.acknowledgements()) {
        // Not handled, so never acknowledged: the proxy takes it back when the link ends
        // (decision 4) and gives it to another gateway or to this one after its restart.
        LOG.debug(
            "link: left {} id={} to the proxy", element.getName(), element.attributeValue("id"));
        return;
      }
      handled++;
      acks.handled();
      listener.onStanza(element);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (settings.acknowledgements() && state == State.OPEN) {
        acks.readComplete();
      }
      ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (cause instanceof StreamException e) {
        LOG.warn("link: {}", e.getMessage());
      } else {
        LOG.info("link: {}", cause.toString());
      }
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (ctx.channel() == channel) {
        disconnected();
      }
    }
  }
}
