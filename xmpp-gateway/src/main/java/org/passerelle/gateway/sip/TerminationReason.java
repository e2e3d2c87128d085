package org.passerelle.gateway.sip;

import java.util.Locale;
import java.util.Optional;

/**
 * Why a subscription was terminated: the {@code reason} of {@code Subscription-State: terminated}
 * (RFC 6665 §4.1.3, IANA registry "reason" event reasons). Each value says when the subscriber may
 * try again.
 */
public enum TerminationReason {
  /** The subscription moved elsewhere; subscribe again at once. */
  DEACTIVATED,
  /** Subscribe again later, after {@code retry-after} if given. */
  PROBATION,
  /** Authorisation was refused or withdrawn; do not subscribe again. */
  REJECTED,
  /** The subscription was not refreshed in time, or this answers {@code Expires: 0}. */
  TIMEOUT,
  /** The notifier gave up waiting for a policy decision; try later. */
  GIVEUP,
  /** The resource no longer exists; do not subscribe again. */
  NORESOURCE,
  /** The state will never change; do not subscribe again. */
  INVARIANT;

  /** As written in the header, e.g. {@code noresource}. */
  public String token() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The reason a token names, in any case; empty for unknown ones, which RFC 6665 §4.1.3 treats
   * like no reason at all.
   */
  public static Optional<TerminationReason> fromToken(String token) {
    for (TerminationReason reason : values()) {
      if (reason.name().equalsIgnoreCase(token.strip())) {
        return Optional.of(reason);
      }
    }
    return Optional.empty();
  }
}
