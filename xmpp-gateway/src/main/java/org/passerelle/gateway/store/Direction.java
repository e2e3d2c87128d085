package org.passerelle.gateway.store;

/**
 * Who watches whom across the gateway (RFC 8048 §5.2 and §5.3). The same two people may hold one
 * authorisation in each direction; each is stored, granted and cancelled on its own.
 *
 * <p>Rows hold {@link #code()}, so that renaming a constant cannot orphan them.
 */
public enum Direction {
  /**
   * A remote XMPP contact watches a local SIP user (RFC 8048 §5.2): the gateway is the SIP
   * subscriber and refreshes the dialog. The request comes from the contact, so it is pending "in"
   * until the SIP side accepts.
   */
  XMPP_WATCHES_SIP("XMPP_WATCHES_SIP", AuthorizationState.PENDING_IN),
  /**
   * A local SIP user watches a remote XMPP contact (RFC 8048 §5.3): the gateway is the SIP notifier
   * and the SIP watcher refreshes the dialog. The request goes to the contact, so it is pending
   * "out" until the contact answers.
   */
  SIP_WATCHES_XMPP("SIP_WATCHES_XMPP", AuthorizationState.PENDING_OUT);

  private final String code;
  private final AuthorizationState pendingState;

  Direction(String code, AuthorizationState pendingState) {
    this.code = code;
    this.pendingState = pendingState;
  }

  /** The value stored in the database. */
  public String code() {
    return code;
  }

  /** The state of a request in this direction that has no answer yet. */
  public AuthorizationState pendingState() {
    return pendingState;
  }

  /** Whether an authorisation in this direction can be in {@code state}. */
  public boolean allows(AuthorizationState state) {
    return state == pendingState || state == AuthorizationState.GRANTED;
  }

  /** The direction stored as {@code code}. */
  static Direction ofCode(String code) {
    for (Direction direction : values()) {
      if (direction.code.equals(code)) {
        return direction;
      }
    }
    throw new IllegalArgumentException("unknown direction in the store: " + code);
  }
}
