package org.passerelle.gateway.link;

/** A stanza could not be handed to the proxy: the link stayed down or is congested. */
public final class LinkUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  public LinkUnavailableException(String message) {
    super(message, null, false, false);
  }
}
