package org.passerelle.proxy.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.passerelle.model.limits.TokenBucket;

/**
 * Stanzas per remote domain, over all of its inbound streams: one {@link TokenBucket} per domain,
 * {@link InboundLimits#stanzaRate()} tokens per second, {@link InboundLimits#stanzaBurst()} deep.
 * Thread-safe; a domain's streams may live on different event loops.
 */
public final class StanzaRates {
  /** What to do with one stanza from an authenticated domain. */
  public enum Admission {
    /** Route it. */
    ACCEPT,
    /** Answer it with a {@code policy-violation} stanza error (RFC 6120 §8.3.3.12). */
    REFUSE,
    /** The domain keeps flooding: end the stream with {@code <policy-violation/>} (§4.9.3.14). */
    CUT
  }

  /** Past this many domains, the buckets of quiet ones are dropped (they would be full anyway). */
  private static final int SWEEP_ABOVE = 10_000;

  private final InboundLimits limits;
  private final LongSupplier clock;
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

  public StanzaRates(InboundLimits limits) {
    this(limits, System::nanoTime);
  }

  StanzaRates(InboundLimits limits, LongSupplier clock) {
    this.limits = limits;
    this.clock = clock;
  }

  /**
   * Takes one stanza from {@code remoteDomain}.
   *
   * @param remoteDomain the authenticated sending domain, lower case
   */
  public Admission admit(String remoteDomain) {
    if (buckets.size() > SWEEP_ABOVE) {
      buckets.values().removeIf(TokenBucket::isFull);
    }
    TokenBucket bucket =
        buckets.computeIfAbsent(
            remoteDomain, d -> new TokenBucket(limits.stanzaRate(), limits.stanzaBurst(), clock));
    return switch (bucket.take()) {
      case ACCEPT -> Admission.ACCEPT;
      case REFUSE -> Admission.REFUSE;
      case CUT -> Admission.CUT;
    };
  }

  public InboundLimits limits() {
    return limits;
  }
}
