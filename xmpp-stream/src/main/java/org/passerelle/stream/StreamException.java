package org.passerelle.stream;

import java.util.Objects;

/**
 * A fault that ends an XMPP stream with a stream error (RFC 6120 §4.9). Raised for what the peer
 * sent (bad XML, limits, addressing, authentication), carrying the condition to send back.
 */
public final class StreamException extends Exception {
  private static final long serialVersionUID = 1L;

  private final StreamErrorCondition condition;

  public StreamException(StreamErrorCondition condition, String text) {
    super(condition.elementName() + ": " + text);
    this.condition = Objects.requireNonNull(condition, "condition");
  }

  public StreamException(StreamErrorCondition condition, String text, Throwable cause) {
    super(condition.elementName() + ": " + text, cause);
    this.condition = Objects.requireNonNull(condition, "condition");
  }

  public StreamErrorCondition condition() {
    return condition;
  }

  /** The human-readable part, without the condition prefix. */
  public String text() {
    String message = getMessage();
    return message.substring(condition.elementName().length() + 2);
  }
}
