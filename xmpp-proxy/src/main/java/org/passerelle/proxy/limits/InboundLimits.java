package org.passerelle.proxy.limits;

/**
 * Bounds on what remote servers may open and send, checked when built. Read from the {@code
 * limits:} section of the proxy's configuration.
 *
 * @param connections inbound server-to-server connections in all; beyond it a new connection is
 *     refused with {@code <resource-constraint/>}
 * @param connectionsPerAddress inbound connections from one source address; beyond it a new one is
 *     refused with {@code <policy-violation/>}
 * @param connectionsPerDomain streams on which one remote domain is authenticated at a time; a
 *     stream that would exceed it ends with {@code <policy-violation/>}. A global ceiling: a
 *     partner's own connection limit, set by federation policy, may be lower
 * @param stanzaRate stanzas per second one remote domain may send, over all its streams
 * @param stanzaBurst how many stanzas a domain may send at once after a quiet time (the size of its
 *     token bucket), and how many refused stanzas it may run up before its stream is closed
 */
public record InboundLimits(
    int connections,
    int connectionsPerAddress,
    int connectionsPerDomain,
    int stanzaRate,
    int stanzaBurst) {

  /** Lync's XMPP gateway accepted 1000 federation connections in all. */
  public static final int DEFAULT_CONNECTIONS = 1000;

  /**
   * A large provider reaches us from one address with a stream per (its domain, our domain) pair,
   * components included; 50 leaves room for that and stops one host from taking the whole total.
   */
  public static final int DEFAULT_CONNECTIONS_PER_ADDRESS = 50;

  /**
   * One stream per pair of domains is the norm (RFC 6120 §4.5), a few more while streams are
   * replaced or while a peer serves several of our domains apart.
   */
  public static final int DEFAULT_CONNECTIONS_PER_DOMAIN = 20;

  /**
   * Per remote domain: presence and chat of a large partner stay far below 200 stanzas/s (Prosody's
   * default inbound S2S limit, 30 kB/s, is about 100 stanzas/s of 300 bytes).
   */
  public static final int DEFAULT_STANZA_RATE = 200;

  /** Five seconds' worth at the default rate: a login storm's presence burst passes. */
  public static final int DEFAULT_STANZA_BURST = 1000;

  public static final InboundLimits DEFAULTS =
      new InboundLimits(
          DEFAULT_CONNECTIONS,
          DEFAULT_CONNECTIONS_PER_ADDRESS,
          DEFAULT_CONNECTIONS_PER_DOMAIN,
          DEFAULT_STANZA_RATE,
          DEFAULT_STANZA_BURST);

  public InboundLimits {
    positive("limits.connections", connections);
    positive("limits.connections-per-address", connectionsPerAddress);
    positive("limits.connections-per-domain", connectionsPerDomain);
    positive("limits.stanza-rate", stanzaRate);
    positive("limits.stanza-burst", stanzaBurst);
    if (connectionsPerAddress > connections) {
      throw new IllegalArgumentException(
          "limits.connections-per-address ("
              + connectionsPerAddress
              + ") must not exceed limits.connections ("
              + connections
              + ")");
    }
  }

  private static void positive(String key, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(key + " must be at least 1, was " + value);
    }
  }
}
