package org.passerelle.gateway.presence;

import java.util.List;

/** How available one state is compared with another: which of several resources or tuples wins. */
final class Availability {
  private Availability() {}

  /**
   * The most available of {@code states} (RFC 8048 §6.2 leaves the choice to the implementation):
   * available before unavailable; then by show, chat before none before away before xa before dnd;
   * then the higher priority (none counts as 0, RFC 6121 §4.7.2.3's default); then the first.
   *
   * @param states not empty
   */
  static PresenceState mostAvailable(List<PresenceState> states) {
    PresenceState best = states.get(0);
    for (int i = 1; i < states.size(); i++) {
      PresenceState candidate = states.get(i);
      if (compare(candidate, best) < 0) {
        best = candidate;
      }
    }
    return best;
  }

  /** Negative when {@code a} is more available than {@code b}. */
  static int compare(PresenceState a, PresenceState b) {
    if (a.isAvailable() != b.isAvailable()) {
      return a.isAvailable() ? -1 : 1;
    }
    int byShow = Integer.compare(a.show().availabilityRank(), b.show().availabilityRank());
    if (byShow != 0) {
      return byShow;
    }
    return Integer.compare(b.priority().orElse(0), a.priority().orElse(0));
  }
}
