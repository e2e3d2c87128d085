package org.passerelle.proxy.s2s;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.passerelle.model.lifecycle.Lifecycle;
import org.passerelle.model.lifecycle.Phase;

/**
 * The streams remote servers opened to us, so that a stopping proxy can end them cleanly and refuse
 * new ones.
 *
 * <p>While the proxy drains, the streams open when the drain began are closed (RFC 6120 §4.4: our
 * closing tag, then what the peer still sends is read and routed until its own). New streams are
 * still accepted, but only to verify dialback keys (XEP-0220 §2.1.2): a remote server checks the
 * key of one of our outbound streams still being set up that way. A new stream asking to
 * authenticate its domain, to send us stanzas, is refused with {@code <system-shutdown/>} (RFC 6120
 * §4.9.3.20).
 */
public final class InboundStreams {
  private final Set<InboundStreamHandler> open = ConcurrentHashMap.newKeySet();
  private final Lifecycle lifecycle = new Lifecycle();
  private volatile Set<InboundStreamHandler> openWhenDrainBegan = Set.of();

  void opened(InboundStreamHandler stream) {
    open.add(stream);
  }

  void closed(InboundStreamHandler stream) {
    open.remove(stream);
  }

  /** Whether new streams may authenticate a domain (not once the proxy drains). */
  boolean acceptsAuthentication() {
    return lifecycle.isRunning();
  }

  /** Refuses authentication on new streams and closes the open ones cleanly. */
  public void drain() {
    if (lifecycle.advance(Phase.DRAINING)) {
      openWhenDrainBegan = Set.copyOf(open);
      openWhenDrainBegan.forEach(InboundStreamHandler::closeFromProxy);
    }
  }

  /** Whether every stream open when the drain began has ended. */
  public boolean drained() {
    return openWhenDrainBegan.stream().noneMatch(open::contains);
  }

  /** Closes every stream still open, those opened during the drain too. */
  public void closeAll() {
    lifecycle.advance(Phase.STOPPED);
    open.forEach(InboundStreamHandler::closeFromProxy);
  }

  /** Streams still open, closing ones included. */
  public int size() {
    return open.size();
  }
}
