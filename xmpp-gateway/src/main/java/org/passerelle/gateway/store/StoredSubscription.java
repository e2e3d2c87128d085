package org.passerelle.gateway.store;

import java.util.List;
import java.util.Objects;

/**
 * An authorisation with the dialogs that carry it, as read back at restart ({@link
 * SubscriptionStore#subscriptionsAfter}).
 *
 * @param authorization the authorisation
 * @param dialogs its dialogs in {@link DialogId} order, as {@link SubscriptionStore#dialogsOf}
 *     lists them; empty if it has none
 */
public record StoredSubscription(Authorization authorization, List<SipDialog> dialogs) {

  public StoredSubscription {
    Objects.requireNonNull(authorization, "authorization");
    dialogs = List.copyOf(dialogs);
  }
}
