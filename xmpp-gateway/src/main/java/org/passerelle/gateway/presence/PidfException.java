package org.passerelle.gateway.presence;

/**
 * A PIDF document that cannot be read; {@link #reason()} says why without parsing the message,
 * which names what was found (never the user's text).
 */
public final class PidfException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a document was refused. */
  public enum Reason {
    /** Not well-formed XML, or not in an encoding the parser knows. */
    MALFORMED,
    /** A document type declaration or an entity reference: refused, never expanded. */
    DTD_OR_ENTITY,
    /** Well-formed, but not PIDF: another root element, or no {@code entity} (RFC 3863 §4.1.1). */
    NOT_PIDF,
    /** An element we do not understand is marked {@code mustUnderstand} (RFC 3863 §4.2.3). */
    MUST_UNDERSTAND
  }

  private final Reason reason;

  public PidfException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public PidfException(Reason reason, String message, Throwable cause) {
    super(message, cause, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
