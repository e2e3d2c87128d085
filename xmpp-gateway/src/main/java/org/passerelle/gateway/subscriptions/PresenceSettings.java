package org.passerelle.gateway.subscriptions;

import java.time.Duration;
import java.util.Objects;
import org.passerelle.gateway.presence.ShowMapping;

/**
 * How the gateway runs presence subscriptions.
 *
 * @param lifetime how long the SIP subscriptions it makes last before a refresh, and the longest it
 *     grants to SIP watchers (RFC 3856 §6.4: one hour by default; Lync's gateway used eight)
 * @param restoreRate how many stored subscriptions per second are re-established after a restart,
 *     so the SIP server is not flooded; at most 200 wait for its answer (fewer below 200/s)
 * @param queueLimit presence events that may wait for the presence thread; more are refused
 * @param showMapping the show ⇄ RPID table, with the operator's overrides
 */
public record PresenceSettings(
    Duration lifetime, int restoreRate, int queueLimit, ShowMapping showMapping) {

  public static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);
  public static final Duration MIN_LIFETIME = Duration.ofMinutes(1);
  public static final Duration MAX_LIFETIME = Duration.ofDays(1);
  public static final int DEFAULT_RESTORE_RATE = 2_000;
  public static final int DEFAULT_QUEUE_LIMIT = 100_000;

  public PresenceSettings {
    Objects.requireNonNull(lifetime, "lifetime");
    if (lifetime.compareTo(MIN_LIFETIME) < 0 || lifetime.compareTo(MAX_LIFETIME) > 0) {
      throw new IllegalArgumentException(
          "presence.subscription-lifetime must be from 1m to 24h, got " + lifetime);
    }
    if (restoreRate < 1) {
      throw new IllegalArgumentException("presence.restore-rate must be positive");
    }
    if (queueLimit < 1) {
      throw new IllegalArgumentException("presence.queue-limit must be positive");
    }
    Objects.requireNonNull(showMapping, "showMapping");
  }

  public static PresenceSettings defaults() {
    return new PresenceSettings(
        DEFAULT_LIFETIME, DEFAULT_RESTORE_RATE, DEFAULT_QUEUE_LIMIT, ShowMapping.defaults());
  }

  /** The same settings with another lifetime; for tests and short-lived deployments. */
  public PresenceSettings withLifetime(Duration value) {
    return new PresenceSettings(value, restoreRate, queueLimit, showMapping);
  }
}
