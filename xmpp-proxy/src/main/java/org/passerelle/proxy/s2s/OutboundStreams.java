package org.passerelle.proxy.s2s;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import org.dom4j.Element;
import org.passerelle.proxy.policy.FederationPolicy;

/**
 * All outbound sessions, one per (local domain, remote domain) pair, created on demand and
 * forgotten when their stream ends (RFC 6120 §4.5). Thread-safe: stanzas arrive from every event
 * loop; each session then lives on its own.
 */
public final class OutboundStreams implements DialbackVerifier {
  private final S2sContext context;
  private final TargetResolver resolver;
  private final Bouncer bouncer;
  private final ConcurrentMap<DomainPair, OutboundSession> sessions = new ConcurrentHashMap<>();

  public OutboundStreams(S2sContext context, TargetResolver resolver, Bouncer bouncer) {
    this.context = context;
    this.resolver = resolver;
    this.bouncer = bouncer;
  }

  /** Sends a stanza from a local domain to a remote one, opening the stream if needed. */
  public void send(Element stanza, DomainPair pair) {
    withSession(pair, session -> session.send(stanza));
  }

  /**
   * Opens the stream for a pair, or keeps the one there is, without sending anything: it
   * authenticates as if a stanza waited (for {@code passerelle diagnose}).
   */
  public void open(DomainPair pair) {
    withSession(pair, session -> {});
  }

  @Override
  public CompletableFuture<DialbackVerdict> verify(DomainPair pair, String streamId, String key) {
    CompletableFuture<DialbackVerdict> answer = new CompletableFuture<>();
    withSession(pair, session -> session.verify(streamId, key, answer));
    return answer;
  }

  /** The pairs with a session, established or being set up. */
  public List<DomainPair> pairs() {
    return List.copyOf(sessions.keySet());
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

  /** Closes every stream; stanzas still queued are bounced. */
  public void closeAll() {
    sessions.values().forEach(OutboundSession::close);
  }

  void remove(OutboundSession session) {
    sessions.remove(session.pair(), session);
  }

  /**
   * Hands work to the pair's session, creating it if needed. A new session gets its first piece of
   * work before it starts, so it never resolves and connects for nothing.
   */
  private void withSession(DomainPair pair, Consumer<OutboundSession> work) {
    OutboundSession existing = sessions.get(pair);
    if (existing == null) {
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
