package org.passerelle.model.address;

import java.util.Objects;

/**
 * An address that cannot be parsed or mapped. The message says which rule failed and cites it, so
 * it can go to the peer as is (the text of a {@code jid-malformed} stanza error or a SIP reason
 * phrase); {@link #reason()} says what kind of failure it is, so callers never parse the message.
 *
 * <p>Unchecked: the callers are translation paths that turn any failure into an error answer, and
 * the inputs come from peers, so there is no stack trace worth recording (it is not filled in).
 */
public final class AddressException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What kind of failure, for choosing the answer to the peer. */
  public enum Reason {
    /** The text is not a SIP or SIPS URI (RFC 3261 §25.1). */
    MALFORMED_URI,
    /**
     * A valid URI the gateway does not map: another scheme, a password, headers, a user part that
     * is not UTF-8 (RFC 7247 §6.4 treats it as UTF-8).
     */
    UNSUPPORTED_URI,
    /** A SIPS URI must never be translated to XMPP (RFC 7247 §8). */
    SIPS_NOT_TRANSLATED,
    /** A temporary GRUU ({@code ;gr} without a value) is not mapped (RFC 7247 §6.3). */
    TEMPORARY_GRUU,
    /** A SIP address whose mapping would break a JID rule (RFC 7622 §3, XEP-0106). */
    NO_JID_EQUIVALENT,
    /** A JID that breaks a rule of RFC 7622 §3; answer {@code jid-malformed}. */
    MALFORMED_JID
  }

  private final Reason reason;

  public AddressException(Reason reason, String message) {
    super(Objects.requireNonNull(message, "message"), null, false, false);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
