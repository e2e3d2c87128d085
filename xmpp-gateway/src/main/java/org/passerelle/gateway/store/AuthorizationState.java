package org.passerelle.gateway.store;

/**
 * Where a presence authorisation stands, seen from the local SIP user as RFC 6121 Appendix A.1 sees
 * a user's roster item. Removal is not a state: a cancelled or refused authorisation is deleted.
 *
 * <p>The transitions live in {@link #canBecome}; rows hold {@link #code()}, so that renaming a
 * constant cannot orphan them.
 */
public enum AuthorizationState {
  /** The SIP user asked the XMPP contact and has no answer yet ("Pending Out", RFC 6121 A.1). */
  PENDING_OUT("PENDING_OUT"),
  /** The XMPP contact asked and the SIP side has not answered yet ("Pending In", RFC 6121 A.1). */
  PENDING_IN("PENDING_IN"),
  /** Authorised: the watcher may see the other's presence until either side cancels. */
  GRANTED("GRANTED");

  private final String code;

  AuthorizationState(String code) {
    this.code = code;
  }

  /** The value stored in the database. */
  public String code() {
    return code;
  }

  /**
   * Whether an authorisation in this state may move to {@code next}. A pending request may be
   * repeated or granted; a granted one stays granted until it is deleted (RFC 8048 §5.2.3, §5.3.1:
   * a refusal or cancellation ends it).
   */
  public boolean canBecome(AuthorizationState next) {
    return switch (this) {
      case PENDING_OUT, PENDING_IN -> next == this || next == GRANTED;
      case GRANTED -> next == GRANTED;
    };
  }

  /** The state stored as {@code code}. */
  static AuthorizationState ofCode(String code) {
    for (AuthorizationState state : values()) {
      if (state.code.equals(code)) {
        return state;
      }
    }
    throw new IllegalArgumentException("unknown authorization state in the store: " + code);
  }
}
