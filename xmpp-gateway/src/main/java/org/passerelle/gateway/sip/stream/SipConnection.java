package org.passerelle.gateway.sip.stream;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.passerelle.gateway.sip.SipResponseInfo;
import org.passerelle.gateway.sip.SipSendException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream, TCP or TLS, to one SIP next hop: sends requests and matches their responses by Via
 * branch and CSeq method (RFC 3261 §17.1.3). A response comes back on the connection its request
 * went out on (§18.2.2), so the transactions waiting on a connection are its own, and all of its
 * state lives on its event loop, without locks.
 *
 * <p>States: {@code NEW} → {@code CONNECTING} (requests wait in order) → {@code OPEN} → {@code
 * CLOSED}. A closed connection fails what waits on it with {@code TRANSPORT} (RFC 3261 §8.1.3.1); a
 * request offered to it after that goes to a new connection.
 */
final class SipConnection extends SimpleChannelInboundHandler<Object> {

  private static final Logger log = LoggerFactory.getLogger(SipConnection.class);

  private enum State {
    NEW,
    CONNECTING,
    OPEN,
    CLOSED
  }

  private final SipStreams streams;
  private final SipStreams.Key key;
  private final EventLoop loop;
  private State state = State.NEW;
  private Channel channel;
  private Throwable failure;
  private final ArrayDeque<OutgoingRequest> connecting = new ArrayDeque<>();

  /** By branch, in the order sent, which is the order of their Timer F deadlines. */
  private final LinkedHashMap<String, OutgoingRequest> waiting = new LinkedHashMap<>();

  private ScheduledFuture<?> timerF;

  SipConnection(SipStreams streams, SipStreams.Key key, EventLoop loop) {
    this.streams = streams;
    this.key = key;
    this.loop = loop;
  }

  /** Sends {@code request} from any thread. */
  void offer(OutgoingRequest request) {
    if (loop.inEventLoop()) {
      send(request);
      return;
    }
    try {
      loop.execute(() -> send(request));
    } catch (RejectedExecutionException e) {
      fail(request, SipSendException.Reason.CLOSED, "the SIP transport has stopped");
    }
  }

  private void send(OutgoingRequest request) {
    if (streams.isClosed()) {
      shutDown(); // offered while the transport closed
      fail(request, SipSendException.Reason.CLOSED, "the SIP endpoint is closed");
      return;
    }
    switch (state) {
      case NEW -> {
        connecting.add(request);
        connect();
      }
      case CONNECTING -> connecting.add(request);
      case OPEN -> write(request);
      case CLOSED -> streams.resend(request);
    }
  }

  private void connect() {
    state = State.CONNECTING;
    ChannelFuture connected = streams.connect(key, loop, this);
    connected.addListener(
        f -> {
          if (!f.isSuccess()) {
            closed(f.cause());
            return;
          }
          if (state == State.CLOSED) {
            connected.channel().close(); // shut down while connecting
            return;
          }
          channel = connected.channel();
          state = State.OPEN;
          log.debug("SIP stream to {} open", key);
          long period = streams.timerFPeriodNanos();
          timerF = loop.scheduleAtFixedRate(this::expire, period, period, TimeUnit.NANOSECONDS);
          while (!connecting.isEmpty()) {
            write(connecting.poll());
          }
        });
  }

  private void write(OutgoingRequest request) {
    if (waiting.putIfAbsent(request.branch(), request) != null) {
      fail(request, SipSendException.Reason.TRANSPORT, "a request with this branch is under way");
      return;
    }
    // A failed write closes the channel, and channelInactive fails what waits.
    channel.writeAndFlush(Unpooled.wrappedBuffer(request.bytes()), channel.voidPromise());
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Object message) {
    if (message == SipStreamDecoder.PING) {
      SipStreamDecoder.pong(ctx);
      return;
    }
    StreamMessage received = (StreamMessage) message;
    SipHead head = received.head();
    if (head.request()) {
      byte[] answer = streams.responses().answerRequest(key.toString(), received.bytes());
      if (answer != null) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(answer), ctx.voidPromise());
      }
      return;
    }
    if (!head.isFinalResponse()) {
      return; // 1xx: over a reliable transport it changes nothing for a non-INVITE (§17.1.2.2)
    }
    OutgoingRequest request = head.topViaBranch().map(waiting::get).orElse(null);
    if (request == null || !head.cseqMethod().filter(request.method()::equals).isPresent()) {
      log.debug("SIP stream to {}: a {} matching no request under way", key, head.status());
      return;
    }
    waiting.remove(request.branch());
    SipResponseInfo info;
    try {
      info = streams.responses().read(head, received.bytes());
    } catch (RuntimeException e) {
      fail(request, SipSendException.Reason.TRANSPORT, "unreadable response: " + e.getMessage());
      return;
    }
    request.response().complete(info);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof IdleStateEvent && waiting.isEmpty()) {
      log.debug("SIP stream to {} idle, closing", key);
      ctx.close();
      return;
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (failure == null) {
      failure = cause;
    }
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closed(failure);
  }

  /** Fails what waits with {@code CLOSED} and closes the stream; on the event loop. */
  void shutDown() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    streams.forget(key, this);
    failAll(SipSendException.Reason.CLOSED, "the SIP endpoint was closed");
    if (channel != null) {
      channel.close();
    }
  }

  /** Submits {@link #shutDown} to the event loop, or runs it here if the loop has stopped. */
  void shutDownSoon() {
    try {
      loop.execute(this::shutDown);
    } catch (RejectedExecutionException e) {
      shutDown();
    }
  }

  private void closed(Throwable cause) {
    if (state == State.CLOSED) {
      return;
    }
    boolean wasOpen = state == State.OPEN;
    state = State.CLOSED;
    streams.forget(key, this);
    String why =
        (wasOpen ? "connection to " : "cannot connect to ")
            + key
            + (cause == null ? " closed" : ": " + RootCause.describe(cause));
    if (wasOpen && waiting.isEmpty()) {
      log.debug("SIP stream to {} closed", key);
    } else {
      log.info("SIP stream: {}; {} request(s) failed", why, waiting.size() + connecting.size());
    }
    failAll(SipSendException.Reason.TRANSPORT, why);
  }

  private void failAll(SipSendException.Reason reason, String why) {
    if (timerF != null) {
      timerF.cancel(false);
    }
    // Copied first: what a failure's callback sends must not meet the collections half-emptied.
    List<OutgoingRequest> failed = new ArrayList<>(connecting);
    failed.addAll(waiting.values());
    connecting.clear();
    waiting.clear();
    for (OutgoingRequest request : failed) {
      fail(request, reason, why);
    }
  }

  /** Timer F (RFC 3261 §17.1.2.2): every request sent before the deadline passed fails. */
  private void expire() {
    long now = System.nanoTime();
    List<OutgoingRequest> expired = new ArrayList<>();
    Iterator<OutgoingRequest> it = waiting.values().iterator();
    while (it.hasNext()) {
      OutgoingRequest request = it.next();
      if (request.deadlineNanos() - now > 0) {
        break;
      }
      it.remove();
      expired.add(request);
    }
    // Failed after the sweep: a callback may send on this connection again.
    for (OutgoingRequest request : expired) {
      fail(
          request,
          SipSendException.Reason.TIMEOUT,
          "no final response within " + streams.timeoutMillis() + " ms (Timer F) from " + key);
    }
  }

  private static void fail(OutgoingRequest request, SipSendException.Reason reason, String why) {
    request.response().completeExceptionally(new SipSendException(reason, why));
  }
}
