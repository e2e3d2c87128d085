package org.passerelle.gateway.subscriptions;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.passerelle.gateway.presence.PresenceState;

/**
 * The presence of each watched XMPP contact, per resource: what a NOTIFY to its SIP watchers says
 * (RFC 8048 §6.2: one tuple per resource). Confined to the presence thread.
 *
 * <p>An unavailable resource leaves the document; when the last one goes, the document keeps it as
 * a closed tuple, so watchers see the contact go offline rather than nothing. Unavailable presence
 * from the bare JID (a server answering a probe for a contact with no resources online) stands for
 * all of them.
 */
final class ContactPresences {
  private static final String BARE = "";

  private final Map<String, Map<String, PresenceState>> byContact = new HashMap<>();

  /** Contacts whose resources were read back from the store, not yet confirmed by XMPP. */
  private final Set<String> restored = new HashSet<>();

  /**
   * Takes the resources stored before a restart, to answer watchers until the contact's server
   * answers our probe; the first presence received then replaces them all, since resources that
   * went offline meanwhile would otherwise linger.
   */
  void restore(String contact, List<PresenceState> states) {
    if (states.isEmpty() || byContact.containsKey(contact)) {
      return;
    }
    Map<String, PresenceState> resources = new LinkedHashMap<>();
    for (PresenceState state : states) {
      resources.put(state.resource() == null ? BARE : state.resource(), state);
    }
    byContact.put(contact, resources);
    restored.add(contact);
  }

  /**
   * Records a presence notification of {@code contact} (a bare JID).
   *
   * @return the contact's resources now, never empty
   */
  List<PresenceState> update(String contact, PresenceState state) {
    if (restored.remove(contact)) {
      byContact.remove(contact);
    }
    Map<String, PresenceState> resources =
        byContact.computeIfAbsent(contact, c -> new LinkedHashMap<>());
    String resource = state.resource() == null ? BARE : state.resource();
    if (state.isAvailable()) {
      resources.values().removeIf(s -> !s.isAvailable());
      resources.put(resource, state);
    } else if (resource.equals(BARE)) {
      resources.clear();
      resources.put(BARE, state);
    } else {
      resources.remove(resource);
      if (resources.isEmpty()) {
        resources.put(resource, state);
      }
    }
    return List.copyOf(resources.values());
  }

  /** The contact's resources, if any presence of it was received. */
  Optional<List<PresenceState>> known(String contact) {
    Map<String, PresenceState> resources = byContact.get(contact);
    return resources == null ? Optional.empty() : Optional.of(List.copyOf(resources.values()));
  }

  /** Forgets the contact, e.g. when nobody watches it any more. */
  void forget(String contact) {
    byContact.remove(contact);
    restored.remove(contact);
  }
}
