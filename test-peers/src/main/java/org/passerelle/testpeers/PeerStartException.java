package org.passerelle.testpeers;

/** A test peer did not come up; the message carries the tail of its log. */
public final class PeerStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PeerStartException(String message) {
    super(message);
  }

  public PeerStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
