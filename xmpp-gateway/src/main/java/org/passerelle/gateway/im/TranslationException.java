package org.passerelle.gateway.im;

import org.passerelle.model.errors.StanzaCondition;

/**
 * A message that cannot be translated: carries both the XMPP condition and the SIP status that tell
 * its sender why, whichever side the sender is on.
 */
public final class TranslationException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient StanzaCondition condition;
  private final int sipStatus;

  public TranslationException(StanzaCondition condition, int sipStatus, String message) {
    super(message, null, false, false);
    this.condition = condition;
    this.sipStatus = sipStatus;
  }

  public StanzaCondition condition() {
    return condition;
  }

  public int sipStatus() {
    return sipStatus;
  }
}
