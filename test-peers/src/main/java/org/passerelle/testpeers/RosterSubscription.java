package org.passerelle.testpeers;

import org.jivesoftware.smack.roster.packet.RosterPacket;

/**
 * The subscription state of one roster item as the user's server reports it to the user (RFC 6121
 * §2.1.2.5 {@code subscription}, §2.1.2.2 {@code ask}). A pending inbound request is not part of
 * the roster the client sees (RFC 6121 §3.1.3), so it has no value here.
 */
public enum RosterSubscription {
  /** The roster holds no item for the contact. */
  NO_ITEM,
  /** Neither user is subscribed to the other's presence. */
  NONE,
  /** None, and the user's subscription request waits for the contact's answer. */
  NONE_PENDING_OUT,
  /** The user receives the contact's presence. */
  TO,
  /** The contact receives the user's presence. */
  FROM,
  /** From, and the user's subscription request waits for the contact's answer. */
  FROM_PENDING_OUT,
  /** Each receives the other's presence. */
  BOTH;

  /**
   * The state of a roster item as received.
   *
   * @throws IllegalStateException for a combination RFC 6121 Appendix A never produces (an {@code
   *     ask} on a subscription that is already {@code to} or {@code both}, or a {@code remove})
   */
  static RosterSubscription of(RosterPacket.Item item) {
    boolean pendingOut = item.isSubscriptionPending();
    RosterPacket.ItemType type = item.getItemType();
    return switch (type) {
      case none -> pendingOut ? NONE_PENDING_OUT : NONE;
      case from -> pendingOut ? FROM_PENDING_OUT : FROM;
      case to -> pendingOut ? impossible(item) : TO;
      case both -> pendingOut ? impossible(item) : BOTH;
      case remove -> impossible(item);
    };
  }

  private static RosterSubscription impossible(RosterPacket.Item item) {
    throw new IllegalStateException("a roster item no server should send: " + item.toXML());
  }
}
