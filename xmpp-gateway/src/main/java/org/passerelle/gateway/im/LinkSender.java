package org.passerelle.gateway.im;

import java.util.concurrent.CompletionStage;
import org.dom4j.Element;

/** Sends a stanza to the XMPP side; completes when the proxy has taken it. */
@FunctionalInterface
public interface LinkSender {
  CompletionStage<Void> send(Element stanza);
}
