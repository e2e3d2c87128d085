package org.passerelle.stream;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on what a peer may send in one stream.
 *
 * @param maxStanzaBytes largest top-level element, from its {@code <} to its final {@code >}; also
 *     bounds the stream header and the whitespace between elements
 * @param maxDepth deepest element nesting below the stream element
 * @param stanzaTimeout once the first byte of a top-level element (or of the stream header) has
 *     arrived, the element must be complete within this time: a peer cannot trickle a stanza byte
 *     by byte to hold a connection forever (slowloris)
 */
public record StreamLimits(int maxStanzaBytes, int maxDepth, Duration stanzaTimeout) {
  /** RFC 6120 §13.12: a deployment MUST NOT set the stanza size limit below 10,000 bytes. */
  public static final int RFC_MINIMUM_STANZA_BYTES = 10_000;

  /** Prosody's default s2s stanza limit is 512 KiB; half that is ample for chat and presence. */
  public static final int DEFAULT_MAX_STANZA_BYTES = 256 * 1024;

  /** Real stanzas nest a handful of levels (message/x/item/…); 32 leaves room for extensions. */
  public static final int DEFAULT_MAX_DEPTH = 32;

  /**
   * A server on a working link delivers even a maximal stanza (256 KiB) in a few seconds; 30 s is
   * generous for it and short for an attacker (HTTP servers use 20–60 s against slowloris).
   */
  public static final Duration DEFAULT_STANZA_TIMEOUT = Duration.ofSeconds(30);

  public static final StreamLimits DEFAULTS =
      new StreamLimits(DEFAULT_MAX_STANZA_BYTES, DEFAULT_MAX_DEPTH, DEFAULT_STANZA_TIMEOUT);

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
    Objects.requireNonNull(stanzaTimeout, "stanzaTimeout");
    if (stanzaTimeout.isNegative() || stanzaTimeout.isZero()) {
      throw new IllegalArgumentException("stanzaTimeout must be positive, was " + stanzaTimeout);
    }
  }

  /** Size and depth limits with the default stanza timeout. */
  public StreamLimits(int maxStanzaBytes, int maxDepth) {
    this(maxStanzaBytes, maxDepth, DEFAULT_STANZA_TIMEOUT);
  }
}
