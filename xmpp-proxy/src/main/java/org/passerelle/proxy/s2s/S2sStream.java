package org.passerelle.proxy.s2s;

import java.net.SocketAddress;
import java.time.Instant;
import java.util.Objects;

/**
 * What can be seen of one server-to-server connection from outside its event loop: direction,
 * domains, how far it got, how it authenticated. Written only by its stream handler, on its loop;
 * read by anyone (metrics, the status page), so every field that changes is volatile.
 */
public final class S2sStream {
  /** Who opened the connection. */
  public enum Direction {
    /** A remote server opened it; we are the receiving entity. */
    INBOUND,
    /** We opened it; we are the initiating entity. */
    OUTBOUND
  }

  /** How far the stream got (RFC 6120 §4.3): stanzas flow only once it is established. */
  public enum Phase {
    /** TLS, authentication or their setup is under way. */
    NEGOTIATING,
    /** A domain is authenticated; stanzas flow. */
    ESTABLISHED,
    CLOSED
  }

  private final Direction direction;
  private final SocketAddress peer;
  private final Instant opened;
  private volatile String local;
  private volatile String remote;
  private volatile Phase phase = Phase.NEGOTIATING;
  private volatile AuthMethod authentication;

  S2sStream(Direction direction, SocketAddress peer, Instant opened) {
    this.direction = Objects.requireNonNull(direction, "direction");
    this.peer = peer;
    this.opened = Objects.requireNonNull(opened, "opened");
  }

  public Direction direction() {
    return direction;
  }

  /** The remote server's address, {@code null} if the channel had none. */
  public SocketAddress peer() {
    return peer;
  }

  public Instant opened() {
    return opened;
  }

  /** Our domain on this stream, {@code null} until known. */
  public String local() {
    return local;
  }

  /** The remote domain, {@code null} until the peer names it. */
  public String remote() {
    return remote;
  }

  public Phase phase() {
    return phase;
  }

  /** How the remote domain authenticated, {@code null} before it did. */
  public AuthMethod authentication() {
    return authentication;
  }

  void domains(String localDomain, String remoteDomain) {
    this.local = localDomain;
    if (remoteDomain != null) {
      this.remote = remoteDomain;
    }
  }

  /** The first authentication establishes the stream; later ones (more domains) change nothing. */
  void established(String remoteDomain, AuthMethod method) {
    if (phase == Phase.NEGOTIATING) {
      if (remote == null) {
        remote = remoteDomain;
      }
      authentication = method;
      phase = Phase.ESTABLISHED;
    }
  }

  void closed() {
    phase = Phase.CLOSED;
  }

  @Override
  public String toString() {
    return direction + " " + local + "/" + remote + " " + phase;
  }
}
