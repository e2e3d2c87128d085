package org.passerelle.stream;

/**
 * Bounds on what a peer may send in one stream.
 *
 * @param maxStanzaBytes largest top-level element, from its {@code <} to its final {@code >}
 * @param maxDepth deepest element nesting below the stream element
 */
public record StreamLimits(int maxStanzaBytes, int maxDepth) {
  /** RFC 6120 §13.12: a deployment MUST NOT set the stanza size limit below 10,000 bytes. */
  public static final int RFC_MINIMUM_STANZA_BYTES = 10_000;

  /** Prosody's default s2s stanza limit is 512 KiB; half that is ample for chat and presence. */
  public static final int DEFAULT_MAX_STANZA_BYTES = 256 * 1024;

  /** Real stanzas nest a handful of levels (message/x/item/…); 32 leaves room for extensions. */
  public static final int DEFAULT_MAX_DEPTH = 32;

  public static final StreamLimits DEFAULTS =
      new StreamLimits(DEFAULT_MAX_STANZA_BYTES, DEFAULT_MAX_DEPTH);

  public StreamLimits {
    if (maxStanzaBytes < RFC_MINIMUM_STANZA_BYTES) {
      throw new IllegalArgumentException(
          "maxStanzaBytes must be at least "
              + RFC_MINIMUM_STANZA_BYTES
              + " (RFC 6120 §13.12), was "
              + maxStanzaBytes);
    }
    if (maxDepth < 2) {
      throw new IllegalArgumentException("maxDepth must be at least 2, was " + maxDepth);
    }
  }
}
