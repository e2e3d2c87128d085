package org.passerelle.proxy.link;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.passerelle.model.Correlation;
import org.passerelle.model.Jids;
import org.passerelle.model.Namespaces;
import org.passerelle.model.StanzaKind;
import org.passerelle.proxy.s2s.StanzaLog;
import org.passerelle.stream.StreamEnd;
import org.passerelle.stream.StreamErrorCondition;
import org.passerelle.stream.StreamErrors;
import org.passerelle.stream.StreamException;
import org.passerelle.stream.StreamHeader;
import org.passerelle.stream.component.AckPacer;
import org.passerelle.stream.component.ComponentHandshake;
import org.passerelle.stream.component.StreamManagement;
import org.passerelle.stream.component.UnackedStanzas;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway's link connection: the accepting side of XEP-0114 (header, handshake with the shared
 * secret), then stanzas both ways with acknowledgements. Stanzas from the gateway are routed as the
 * local side's; stanzas for the gateway are tracked until acknowledged, and whatever is not
 * acknowledged when the link ends is handed back to {@link GatewayLinks}.
 */
final class GatewayLinkHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayLinkHandler.class);
  private static final long ATTACH_WITHOUT_ACKS_MILLIS = 1_000;

  private final LinkContext context;
  private final UnackedStanzas<Element> unacked = new UnackedStanzas<>();

  /** {@code unacked.size()}, for a stopping proxy to read from another thread. */
  private volatile int unackedCount;

  /**
   * Stanzas handed to this link and not yet acknowledged by the gateway: those still on their way
   * to the event loop and {@link #unacked}. Bounds what {@link #offer} admits; any thread.
   */
  private final AtomicInteger inFlight = new AtomicInteger();

  /** Stanzas refused since the window last filled; 0 while the gateway keeps up. */
  private final AtomicLong refused = new AtomicLong();

  private ChannelHandlerContext ctx;
  private LinkState state = LinkState.AWAITING_HEADER;
  private String domain;
  private String streamId;
  private boolean acking;
  private long handled;
  private AckPacer acks;
  private boolean headerSent;
  private boolean attached;
  private ScheduledFuture<?> attachTimer;

  GatewayLinkHandler(LinkContext context) {
    this.context = context;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.acks =
        new AckPacer(
            AckPacer.Scheduler.on(ctx.executor()),
            () -> {
              if (state == LinkState.OPEN) {
                ctx.writeAndFlush(StreamManagement.ack(handled));
              }
            });
  }

  private String label() {
    return "link[" + domain + " " + ctx.channel().remoteAddress() + "]";
  }

  /** The gateway's address, for the status page; callable from any thread. */
  String remoteAddress() {
    return String.valueOf(ctx.channel().remoteAddress());
  }

  @Override
  public String toString() {
    return label();
  }

  /**
   * Sends a stanza to this gateway unless the window is full: {@code window} stanzas sent and not
   * yet acknowledged. Then it returns {@code false}, and the caller answers the stanza. Without
   * this bound a gateway that falls behind collects an unbounded backlog in this process's buffers
   * that every later stanza waits behind, long after the load has dropped. Callable from any
   * thread.
   */
  boolean offer(Element stanza) {
    int window = context.links().window();
    if (inFlight.incrementAndGet() > window) {
      inFlight.decrementAndGet();
      if (refused.getAndIncrement() == 0) {
        LOG.warn(
            "{} the gateway has {} stanzas not yet acknowledged (link.window): answering new ones"
                + " with resource-constraint until it catches up",
            this,
            window);
      }
      return false;
    }
    dispatch(stanza);
    return true;
  }

  /**
   * Sends a stanza to this gateway whatever the window: for stanzas admitted before (held while no
   * gateway was attached, or left unacknowledged by a gateway that went away), which are bounded by
   * {@code link.hold-limit} and the window. Callable from any thread.
   */
  void send(Element stanza) {
    inFlight.incrementAndGet();
    dispatch(stanza);
  }

  private void dispatch(Element stanza) {
    if (ctx.executor().inEventLoop()) {
      write(stanza);
    } else {
      ctx.executor().execute(() -> write(stanza));
    }
  }

  private void write(Element stanza) {
    if (state != LinkState.OPEN) {
      // Closed meanwhile: hand it back for another gateway or the hold queue.
      inFlight.decrementAndGet();
      context.links().redeliver(stanza);
      return;
    }
    if (acking) {
      unacked.sent(stanza);
      unackedCount = unacked.size();
    } else {
      // Nothing will be acknowledged: the window counts only what waits for the event loop.
      inFlight.decrementAndGet();
    }
    StanzaKind kind = StanzaKind.of(stanza, Namespaces.SERVER);
    if (kind != null) {
      context.events().stanzaToGateway(kind);
    }
    StanzaLog.handedToGateway(stanza, Correlation.of(stanza), this);
    ctx.writeAndFlush(stanza);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof StreamHeader header) {
        onHeader(header);
      } else if (msg instanceof Element element) {
        onElement(element);
      } else if (msg == StreamEnd.INSTANCE) {
        LOG.info("{} gateway closed the link", label());
        close();
      }
    } catch (StreamException e) {
      streamError(e.condition(), e.text());
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (acking && state == LinkState.OPEN) {
      acks.readComplete();
    }
    ctx.fireChannelReadComplete();
  }

  private void onHeader(StreamHeader header) throws StreamException {
    if (state != LinkState.AWAITING_HEADER) {
      throw new StreamException(StreamErrorCondition.NOT_WELL_FORMED, "unexpected stream header");
    }
    if (!Namespaces.COMPONENT_ACCEPT.equals(header.contentNamespace())) {
      throw new StreamException(
          StreamErrorCondition.INVALID_NAMESPACE, "the link speaks jabber:component:accept");
    }
    domain = header.to() == null ? null : header.to().toLowerCase(Locale.ROOT);
    streamId = context.streamIds().next();
    ctx.write(
        new StreamHeader(Namespaces.COMPONENT_ACCEPT, null, domain, streamId, null, null, false));
    headerSent = true;
    if (domain == null || !context.domains().contains(domain)) {
      throw new StreamException(
          StreamErrorCondition.HOST_UNKNOWN, "this proxy does not serve " + domain);
    }
    if (!context.links().mayAttach(domain)) {
      // RFC 6120 §4.9.3.20; the gateway retries, and finds the proxy again after its restart.
      throw new StreamException(StreamErrorCondition.SYSTEM_SHUTDOWN, "the proxy is shutting down");
    }
    ctx.flush();
    state = state.to(LinkState.AWAITING_HANDSHAKE);
  }

  private void onElement(Element element) throws StreamException {
    if (StreamErrors.isStreamError(element)) {
      LOG.info(
          "{} gateway sent stream error {}",
          label(),
          StreamErrors.conditionOf(element).elementName());
      close();
      return;
    }
    switch (state) {
      case AWAITING_HANDSHAKE -> onHandshake(element);
      case OPEN -> onOpenElement(element);
      case CLOSED -> {
        // Input still buffered after we ended the link; it was refused with the stream.
      }
      default ->
          throw new StreamException(
              StreamErrorCondition.NOT_AUTHORIZED, "unexpected " + element.getName());
    }
  }

  private void onHandshake(Element element) throws StreamException {
    if (!ComponentHandshake.ELEMENT.equals(element.getQName())) {
      throw new StreamException(StreamErrorCondition.NOT_AUTHORIZED, "handshake expected first");
    }
    if (!ComponentHandshake.matches(element.getText(), streamId, context.secret())) {
      throw new StreamException(StreamErrorCondition.NOT_AUTHORIZED, "wrong handshake digest");
    }
    state = state.to(LinkState.OPEN);
    ctx.writeAndFlush(DocumentHelper.createElement(ComponentHandshake.ELEMENT));
    LOG.info("{} gateway authenticated", label());
    // Attach once the gateway has said whether it acknowledges (it sends <enable/> right after
    // its handshake); a component that never does is attached without acknowledgements.
    attachTimer =
        ctx.executor().schedule(this::attach, ATTACH_WITHOUT_ACKS_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void attach() {
    if (state == LinkState.OPEN && !attached) {
      attached = true;
      attachTimer.cancel(false);
      context.links().attach(domain, this);
    }
  }

  private void onOpenElement(Element element) throws StreamException {
    if (StreamManagement.NAMESPACE.equals(element.getNamespaceURI())) {
      onStreamManagement(element);
      return;
    }
    StanzaKind kind = StanzaKind.of(element, Namespaces.SERVER);
    if (kind == null) {
      throw new StreamException(
          StreamErrorCondition.UNSUPPORTED_STANZA_TYPE, element.getName() + " is not a stanza");
    }
    handled++;
    acks.handled();
    String fromDomain = Jids.domainOf(element.attributeValue("from"));
    if (!domain.equals(fromDomain)) {
      // XEP-0114: a component speaks only for addresses of its own domain.
      throw new StreamException(
          StreamErrorCondition.INVALID_FROM,
          "the gateway for " + domain + " sent from " + fromDomain);
    }
    context.events().stanzaFromGateway(kind);
    context.router().fromLocal(element);
  }

  private void onStreamManagement(Element element) throws StreamException {
    if (StreamManagement.is(element, "enable")) {
      acking = true;
      ctx.writeAndFlush(StreamManagement.enabled());
      attach();
    } else if (StreamManagement.is(element, "r")) {
      acks.acknowledged();
      ctx.writeAndFlush(StreamManagement.ack(handled));
    } else if (StreamManagement.is(element, "a")) {
      long h = StreamManagement.handled(element);
      List<Element> taken = h < 0 ? null : unacked.acknowledge(h);
      if (taken == null) {
        throw new StreamException(
            StreamErrorCondition.UNDEFINED_CONDITION, "acknowledgement of unsent stanzas: " + h);
      }
      unackedCount = unacked.size();
      caughtUp(inFlight.addAndGet(-taken.size()));
    }
  }

  /** Logs the end of a refusal episode once the gateway has taken half its window. */
  private void caughtUp(int nowInFlight) {
    if (refused.get() > 0 && nowInFlight <= context.links().window() / 2) {
      long count = refused.getAndSet(0);
      if (count > 0) {
        LOG.info(
            "{} the gateway caught up; {} stanza(s) were answered with resource-constraint",
            this,
            count);
      }
    }
  }

  /** Stanzas sent and not acknowledged yet; callable from any thread. */
  int unacknowledged() {
    return unackedCount;
  }

  /** Stanzas counted against {@code link.window} now; any thread. */
  int inFlight() {
    return inFlight.get();
  }

  /** Closes the link from the proxy's side (shutdown); callable from any thread. */
  void closeFromProxy() {
    ctx.executor().execute(this::close);
  }

  /** Closes the link cleanly: our closing tag once the gateway has seen everything. */
  void close() {
    if (state != LinkState.CLOSED && ctx.channel().isActive()) {
      if (acking && state == LinkState.OPEN) {
        acks.acknowledged();
        ctx.write(StreamManagement.ack(handled));
      }
      ctx.writeAndFlush(StreamEnd.INSTANCE).addListener(ChannelFutureListener.CLOSE);
    }
    detach();
  }

  private void streamError(StreamErrorCondition condition, String text) {
    LOG.info("{} stream error {}: {}", label(), condition.elementName(), text);
    if (!headerSent) {
      ctx.write(
          new StreamHeader(Namespaces.COMPONENT_ACCEPT, null, null, "error", null, null, false));
    }
    ctx.write(StreamErrors.element(condition, text));
    ctx.writeAndFlush(StreamEnd.INSTANCE).addListener(ChannelFutureListener.CLOSE);
    detach();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
      LOG.warn(
          "link TLS handshake from {} failed: {}",
          ctx.channel().remoteAddress(),
          handshake.cause().toString());
      ctx.close();
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof StreamException e) {
      streamError(e.condition(), e.text());
    } else {
      LOG.info("{} link failed: {}", label(), cause.toString());
      ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    detach();
    super.channelInactive(ctx);
  }

  private void detach() {
    if (state == LinkState.CLOSED) {
      return;
    }
    state = state.to(LinkState.CLOSED);
    if (attachTimer != null) {
      attachTimer.cancel(false);
    }
    if (attached) {
      List<Element> untaken = unacked.drain();
      unackedCount = 0;
      inFlight.addAndGet(-untaken.size());
      context.links().detach(domain, this, untaken);
    }
  }
}
