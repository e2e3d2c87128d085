package org.passerelle.gateway;

import java.util.function.BooleanSupplier;
import org.dom4j.Element;
import org.passerelle.gateway.link.LinkListener;

/**
 * A {@link LinkListener} that passes everything on and runs {@code onReady} once, the first time a
 * link comes up while {@code allUp} holds: the moment the gateway first becomes ready.
 */
final class FirstAttach implements LinkListener {
  private final LinkListener next;
  private final BooleanSupplier allUp;
  private final Runnable onReady;
  private boolean done;

  FirstAttach(LinkListener next, BooleanSupplier allUp, Runnable onReady) {
    this.next = next;
    this.allUp = allUp;
    this.onReady = onReady;
  }

  @Override
  public void onStanza(Element stanza) {
    next.onStanza(stanza);
  }

  @Override
  public void onLinkUp() {
    next.onLinkUp();
    // Links of several domains may share the one event loop or not: decide once, under a lock.
    synchronized (this) {
      if (done || !allUp.getAsBoolean()) {
        return;
      }
      done = true;
    }
    onReady.run();
  }

  @Override
  public void onLinkDown() {
    next.onLinkDown();
  }
}
