package org.passerelle.gateway.store;

/**
 * The store could not do what was asked: the database failed or is unreachable, the store is closed
 * or overloaded, or its schema does not fit this code. Our own failure, never the peer's: a stanza
 * or SIP request waiting on it is answered with an internal error (or 500), not dropped.
 */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
