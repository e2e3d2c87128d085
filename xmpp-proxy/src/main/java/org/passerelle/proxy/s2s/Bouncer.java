package org.passerelle.proxy.s2s;

import org.dom4j.Element;
import org.passerelle.model.errors.StanzaCondition;
import org.xmpp.packet.PacketError;

/** Answers a stanza that cannot be delivered with an error to its sender (RFC 6120 §8.3). */
@FunctionalInterface
public interface Bouncer {
  void bounce(Element stanza, StanzaCondition condition, String reason);

  /** The same, with Tinder's condition (which lacks {@code policy-violation}). */
  default void bounce(Element stanza, PacketError.Condition condition, String reason) {
    bounce(stanza, StanzaCondition.fromTinder(condition), reason);
  }
}
