package org.passerelle.proxy.limits;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.passerelle.model.Namespaces;
import org.passerelle.stream.StreamEnd;
import org.passerelle.stream.StreamErrorCondition;
import org.passerelle.stream.StreamErrors;
import org.passerelle.stream.StreamHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits inbound server-to-server connections within {@link InboundLimits}: at most so many in all
 * and so many per source address, checked when the connection opens, and at most so many streams
 * per authenticated remote domain, checked when a domain authenticates ({@link #claimDomain}). A
 * connection over a limit is told why with a stream error (RFC 6120 §4.9.1.2: after a stream header
 * of our own) and closed; its stream handler never sees it.
 *
 * <p>One gate serves every inbound channel: it sits in each pipeline after the encoder, so that it
 * can write the error as elements, and before the stream handler, so that a refused connection
 * never starts a stream. Counts are released when the channel closes.
 */
@Sharable
public final class ConnectionGate extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGate.class);
  private static final AttributeKey<Set<String>> DOMAINS =
      AttributeKey.valueOf(ConnectionGate.class, "domains");

  /** Told of every connection the gate refuses, for metrics and logs. */
  @FunctionalInterface
  public interface RefusalListener {
    void refused(SocketAddress peer, StreamErrorCondition condition, String text);
  }

  private final InboundLimits limits;
  private final String localDomain;
  private final Supplier<String> streamIds;
  private final RefusalListener listener;
  private final Map<InetAddress, Integer> perAddress = new HashMap<>();
  private final Map<String, Integer> perDomain = new HashMap<>();
  private int total;

  /**
   * @param limits the limits to apply
   * @param localDomain the domain named in the header of a refusal (the peer has said nothing yet)
   * @param streamIds where the refusal's stream id comes from
   * @param listener told of each refusal
   */
  public ConnectionGate(
      InboundLimits limits,
      String localDomain,
      Supplier<String> streamIds,
      RefusalListener listener) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.localDomain = Objects.requireNonNull(localDomain, "localDomain");
    this.streamIds = Objects.requireNonNull(streamIds, "streamIds");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    InetAddress source = addressOf(ctx.channel().remoteAddress());
    Refusal refusal = admit(source);
    if (refusal == null) {
      ctx.channel().closeFuture().addListener(f -> release(source));
      ctx.fireChannelActive();
      return;
    }
    LOG.info("refusing a connection from {}: {}", source.getHostAddress(), refusal.text());
    listener.refused(ctx.channel().remoteAddress(), refusal.condition(), refusal.text());
    ctx.channel().config().setAutoRead(false);
    ctx.write(
        new StreamHeader(
            Namespaces.SERVER,
            null,
            localDomain,
            streamIds.get(),
            StreamHeader.VERSION_1_0,
            "en",
            false));
    ctx.write(StreamErrors.element(refusal.condition(), refusal.text()));
    ctx.writeAndFlush(StreamEnd.INSTANCE).addListener(ChannelFutureListener.CLOSE);
  }

  /**
   * Counts {@code channel} as a stream of {@code remoteDomain}, once however often it is asked.
   *
   * @return whether the domain stays within {@link InboundLimits#connectionsPerDomain()}; if not,
   *     nothing was counted and the caller ends the stream
   */
  public boolean claimDomain(Channel channel, String remoteDomain) {
    Set<String> claimed = channel.attr(DOMAINS).setIfAbsent(new HashSet<>());
    if (claimed == null) {
      claimed = channel.attr(DOMAINS).get();
    }
    synchronized (this) {
      if (claimed.contains(remoteDomain)) {
        return true;
      }
      int streams = perDomain.getOrDefault(remoteDomain, 0);
      if (streams >= limits.connectionsPerDomain()) {
        return false;
      }
      perDomain.put(remoteDomain, streams + 1);
      claimed.add(remoteDomain);
    }
    channel.closeFuture().addListener(f -> releaseDomain(remoteDomain));
    return true;
  }

  /** Inbound connections open now. */
  public synchronized int connections() {
    return total;
  }

  public InboundLimits limits() {
    return limits;
  }

  /** Why a connection is refused, and the stream error that says so. */
  private record Refusal(StreamErrorCondition condition, String text) {}

  /** Counts the connection and returns {@code null}, or says which limit it would exceed. */
  private synchronized Refusal admit(InetAddress source) {
    int fromSource = perAddress.getOrDefault(source, 0);
    if (fromSource >= limits.connectionsPerAddress()) {
      // The address asks for more than its share: local policy (RFC 6120 §4.9.3.14).
      return new Refusal(
          StreamErrorCondition.POLICY_VIOLATION,
          "too many connections from "
              + source.getHostAddress()
              + " (limit "
              + limits.connectionsPerAddress()
              + ")");
    }
    if (total >= limits.connections()) {
      // The server as a whole is full (§4.9.3.17).
      return new Refusal(
          StreamErrorCondition.RESOURCE_CONSTRAINT,
          "the server accepts no more connections (limit " + limits.connections() + ")");
    }
    perAddress.put(source, fromSource + 1);
    total++;
    return null;
  }

  private synchronized void release(InetAddress source) {
    total--;
    perAddress.computeIfPresent(source, (a, n) -> n == 1 ? null : n - 1);
  }

  private synchronized void releaseDomain(String remoteDomain) {
    perDomain.computeIfPresent(remoteDomain, (d, n) -> n == 1 ? null : n - 1);
  }

  private static InetAddress addressOf(SocketAddress address) {
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress();
    }
    // An EmbeddedChannel in tests has no IP address; count it as the loopback's.
    return InetAddress.getLoopbackAddress();
  }
}
