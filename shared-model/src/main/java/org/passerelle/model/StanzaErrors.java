package org.passerelle.model;

import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.passerelle.model.errors.StanzaCondition;
import org.xmpp.packet.PacketError;

/**
 * Answers to stanzas that cannot be delivered (RFC 6120 §8.3): the reply goes back to the sender
 * with {@code to} and {@code from} swapped, the same {@code id}, {@code type='error'} and the
 * original payload, so the sender's client can show what failed.
 */
public final class StanzaErrors {
  private static final String ERROR = "error";

  private StanzaErrors() {}

  /**
   * Whether a stanza may be answered with an error: never an error itself (§8.3.1), nor an IQ
   * result, which has no one waiting for it.
   */
  public static boolean isBounceable(Element stanza) {
    String type = stanza.attributeValue("type");
    if (ERROR.equals(type)) {
      return false;
    }
    return !("iq".equals(stanza.getName()) && "result".equals(type));
  }

  /**
   * The error reply to a stanza, with the condition's recommended type (RFC 6120 §8.3.3). Returns
   * {@code null} when the stanza must not be answered. Tinder's condition is read through {@link
   * StanzaCondition#fromTinder}, so the type is the RFC 6120 one, not Tinder's default.
   */
  public static Element bounce(Element stanza, PacketError.Condition condition, String text) {
    return bounce(stanza, StanzaCondition.fromTinder(condition), text);
  }

  /**
   * The error reply to a stanza, with the condition's recommended type (RFC 6120 §8.3.3). Returns
   * {@code null} when the stanza must not be answered. Unlike Tinder's enum, {@link
   * StanzaCondition} has {@code policy-violation}.
   */
  public static Element bounce(Element stanza, StanzaCondition condition, String text) {
    if (!isBounceable(stanza)) {
      return null;
    }
    Element reply = stanza.createCopy();
    String from = stanza.attributeValue("from");
    String to = stanza.attributeValue("to");
    setOrRemove(reply, "to", from);
    setOrRemove(reply, "from", to);
    reply.addAttribute("type", ERROR);
    Namespace content = stanza.getNamespace();
    Element error = reply.addElement(QName.get(ERROR, content));
    error.addAttribute("type", condition.recommendedType().toXMPP());
    error.addElement(QName.get(condition.elementName(), Namespaces.STANZA_ERRORS));
    if (text != null && !text.isEmpty()) {
      error.addElement(QName.get("text", Namespaces.STANZA_ERRORS)).addText(text);
    }
    return reply;
  }

  /**
   * The defined condition of an error stanza in Tinder's enum, or {@code null} if it carries none;
   * a condition Tinder lacks ({@code policy-violation}) reads as {@code undefined-condition}.
   */
  public static PacketError.Condition conditionOf(Element stanza) {
    StanzaCondition condition = definedConditionOf(stanza);
    if (condition == null) {
      return null;
    }
    return condition.toTinder().orElse(PacketError.Condition.undefined_condition);
  }

  /**
   * The defined condition of an error stanza (RFC 6120 §8.3.3), or {@code null} if it carries none;
   * an unknown condition reads as {@link StanzaCondition#UNDEFINED_CONDITION}.
   */
  public static StanzaCondition definedConditionOf(Element stanza) {
    Element error = stanza.element(ERROR);
    if (error == null) {
      return null;
    }
    for (Element child : error.elements()) {
      if (Namespaces.STANZA_ERRORS.equals(child.getNamespaceURI())
          && !"text".equals(child.getName())) {
        return StanzaCondition.fromElementName(child.getName())
            .orElse(StanzaCondition.UNDEFINED_CONDITION);
      }
    }
    return null;
  }

  private static void setOrRemove(Element element, String name, String value) {
    if (value == null) {
      if (element.attribute(name) != null) {
        element.remove(element.attribute(name));
      }
    } else {
      element.addAttribute(name, value);
    }
  }
}
