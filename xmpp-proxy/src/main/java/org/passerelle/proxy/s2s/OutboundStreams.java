package org.passerelle.proxy.s2s;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import org.dom4j.Element;
import org.passerelle.model.lifecycle.Lifecycle;
import org.passerelle.model.lifecycle.Phase;
import org.passerelle.proxy.policy.FederationPolicy;
import org.xmpp.packet.PacketError;

/**
 * All outbound sessions, one per (local domain, remote domain) pair, created on demand and
 * forgotten when their stream ends (RFC 6120 §4.5). Thread-safe: stanzas arrive from every event
 * loop; each session then lives on its own.
 *
 * <p>While the proxy drains, sessions go on as before: a stream still being set up may yet carry
 * what waits for it. Once it {@linkplain #stop stops}, no session is created any more, and what
 * waits for a stream not established is bounced.
 */
public final class OutboundStreams implements DialbackVerifier {
  private final S2sContext context;
  private final TargetResolver resolver;
  private final Bouncer bouncer;
  private final ConcurrentMap<DomainPair, OutboundSession> sessions = new ConcurrentHashMap<>();
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final Lifecycle lifecycle = new Lifecycle();

  public OutboundStreams(S2sContext context, TargetResolver resolver, Bouncer bouncer) {
    this.context = context;
    this.resolver = resolver;
    this.bouncer = bouncer;
  }

  /** Sends a stanza from a local domain to a remote one, opening the stream if needed. */
  public void send(Element stanza, DomainPair pair) {
    withSession(
        pair,
        session -> session.send(stanza),
        () ->
            bouncer.bounce(
                stanza,
                PacketError.Condition.remote_server_timeout,
                "the proxy is shutting down; no stream to " + pair.remote() + " is open"));
  }

  /**
   * Opens the stream for a pair, or keeps the one there is, without sending anything: it
   * authenticates as if a stanza waited (for {@code passerelle diagnose}). Once stopped, nothing is
   * opened.
   */
  public void open(DomainPair pair) {
    withSession(pair, session -> {}, () -> {});
  }

  @Override
  public CompletableFuture<DialbackVerdict> verify(DomainPair pair, String streamId, String key) {
    CompletableFuture<DialbackVerdict> answer = new CompletableFuture<>();
    withSession(
        pair,
        session -> session.verify(streamId, key, answer),
        () -> answer.complete(DialbackVerdict.UNREACHABLE));
    return answer;
  }

  /** The pairs with a session, established or being set up. */
  public List<DomainPair> pairs() {
    return List.copyOf(sessions.keySet());
  }

  /** Stanzas handed to a session and not yet written or answered. */
  public int waitingStanzas() {
    return sessions.values().stream().mapToInt(OutboundSession::waitingStanzas).sum();
  }

  /** Outbound TCP connections still open, streams closing included. */
  public int openConnections() {
    return connections.size();
  }

  /** One session as the status page shows it: its pair, its phase, what it holds. */
  public record Session(DomainPair pair, String phase, int queued) {}

  /** Every session now, each read without stopping it. */
  public List<Session> sessions() {
    return sessions.values().stream()
        .map(s -> new Session(s.pair(), s.phase(), s.queued()))
        .toList();
  }

  /** Stanzas waiting for their stream to be established, across every session. */
  public int queued() {
    int total = 0;
    for (OutboundSession session : sessions.values()) {
      total += session.queued();
    }
    return total;
  }

  /** Ends the sessions a new federation policy refuses or sets up differently. */
  public void policyChanged(FederationPolicy policy) {
    sessions.values().forEach(session -> session.policyChanged(policy));
  }

  /**
   * The proxy stops: no new session from now on, and the sessions not established bounce what they
   * hold ({@code remote-server-timeout}, RFC 6120 §8.3.3.17). Established streams stay open for the
   * errors still to come, until {@link #closeAll}.
   */
  public void stop(String reason) {
    lifecycle.advance(Phase.STOPPED);
    sessions.values().forEach(session -> session.stop(reason));
  }

  /** Closes every stream; stanzas still queued are bounced. */
  public void closeAll() {
    lifecycle.advance(Phase.STOPPED);
    sessions.values().forEach(OutboundSession::close);
  }

  void remove(OutboundSession session) {
    sessions.remove(session.pair(), session);
  }

  /** A connection a session opened; forgotten by itself when it closes. */
  void opened(Channel channel) {
    connections.add(channel);
  }

  /**
   * Hands work to the pair's session, creating it if needed. A new session gets its first piece of
   * work before it starts, so it never resolves and connects for nothing. Once stopped, work
   * without a session is refused instead.
   */
  private void withSession(
      DomainPair pair, Consumer<OutboundSession> work, Runnable refuseWhenStopped) {
    OutboundSession existing = sessions.get(pair);
    if (existing == null) {
      if (lifecycle.phase() == Phase.STOPPED) {
        refuseWhenStopped.run();
        return;
      }
      OutboundSession created =
          new OutboundSession(
              pair, context.transport().group().next(), context, resolver, bouncer, this);
      existing = sessions.putIfAbsent(pair, created);
      if (existing == null) {
        work.accept(created);
        created.start();
        return;
      }
    }
    work.accept(existing);
  }
}
