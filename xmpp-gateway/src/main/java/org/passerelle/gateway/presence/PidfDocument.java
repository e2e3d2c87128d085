package org.passerelle.gateway.presence;

import java.util.List;
import java.util.Objects;

/**
 * What {@link PidfReader} found in a PIDF document: the presentity and one state per tuple, in
 * document order.
 *
 * @param entity the {@code entity} attribute (RFC 3863 §4.1.1), as written
 * @param tuples one state per {@code <tuple>}; may be empty
 */
public record PidfDocument(String entity, List<PresenceState> tuples) {
  public PidfDocument {
    Objects.requireNonNull(entity, "entity");
    tuples = List.copyOf(tuples);
  }

  /**
   * The state to show for the presentity as a whole (RFC 8048 §6.2: SIP user agents usually show
   * the "most available" of several); unavailable, with nothing else, when there is no tuple. See
   * {@link Availability#mostAvailable(List)} for the order.
   */
  public PresenceState mostAvailable() {
    return tuples.isEmpty()
        ? PresenceState.unavailable().build()
        : Availability.mostAvailable(tuples);
  }
}
