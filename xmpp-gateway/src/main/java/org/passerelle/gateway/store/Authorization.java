package org.passerelle.gateway.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A presence authorisation: the long-lived XMPP "subscription" between a local SIP user and a
 * remote XMPP contact in one direction (RFC 8048 §1). Instants are kept to the millisecond, as
 * stored; they come from the clocks of the gateways that wrote them.
 *
 * @param key who and in which direction
 * @param state pending or granted; always one that {@link Direction#allows} for the direction
 * @param created when the request was first stored
 * @param updated when the state was last written
 */
public record Authorization(
    AuthorizationKey key, AuthorizationState state, Instant created, Instant updated) {

  public Authorization {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(state, "state");
    if (!key.direction().allows(state)) {
      throw new IllegalArgumentException(
          "an authorization " + key.direction() + " cannot be " + state);
    }
    created = created.truncatedTo(ChronoUnit.MILLIS);
    updated = updated.truncatedTo(ChronoUnit.MILLIS);
  }

  /** A new request, pending until answered: "in" or "out" as its direction says. */
  public static Authorization requested(AuthorizationKey key, Instant now) {
    return new Authorization(key, key.direction().pendingState(), now, now);
  }

  /** An authorisation granted at once, e.g. when it is known from elsewhere. */
  public static Authorization granted(AuthorizationKey key, Instant now) {
    return new Authorization(key, AuthorizationState.GRANTED, now, now);
  }

  /** This authorisation granted at {@code now}. */
  public Authorization grant(Instant now) {
    return moveTo(AuthorizationState.GRANTED, now);
  }

  /**
   * This authorisation in state {@code next} as of {@code now}, keeping when it was created.
   *
   * @throws IllegalStateException if {@link AuthorizationState#canBecome} forbids the move
   */
  public Authorization moveTo(AuthorizationState next, Instant now) {
    if (!state.canBecome(next)) {
      throw new IllegalStateException(
          "authorization " + key + " is " + state + " and cannot become " + next);
    }
    return new Authorization(key, next, created, now);
  }

  public boolean isGranted() {
    return state == AuthorizationState.GRANTED;
  }
}
