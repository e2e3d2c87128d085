package org.passerelle.gateway.subscriptions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

  private final Map<String, Resources> byContact = new HashMap<>();

  private static String resourceOf(PresenceState state) {
    return state.resource() == null ? BARE : state.resource();
  }

  /**
   * One contact's resources in the order they came, few as a rule: a list searched by resource
   * costs less than a map per contact.
   */
  private static final class Resources {
    final List<PresenceState> states = new ArrayList<>(1);

    /** Read back from the store, not yet confirmed by XMPP. */
    boolean restored;

    int indexOf(String resource) {
      for (int i = 0; i < states.size(); i++) {
        if (resourceOf(states.get(i)).equals(resource)) {
          return i;
        }
      }
      return -1;
    }

    void put(PresenceState state) {
      int i = indexOf(resourceOf(state));
      if (i >= 0) {
        states.set(i, state);
      } else {
        states.add(state);
      }
    }
  }

  /**
   * Takes the resources stored before a restart, to answer watchers until the contact's server
   * answers our probe; the first presence received then replaces them all, since resources that
   * went offline meanwhile would otherwise linger.
   */
  void restore(String contact, List<PresenceState> states) {
    if (states.isEmpty() || byContact.containsKey(contact)) {
      return;
    }
    Resources resources = new Resources();
    for (PresenceState state : states) {
      resources.put(state);
    }
    resources.restored = true;
    byContact.put(contact, resources);
  }

  /**
   * Records a presence notification of {@code contact} (a bare JID).
   *
   * @return the contact's resources now, never empty
   */
  List<PresenceState> update(String contact, PresenceState state) {
    Resources resources = byContact.get(contact);
    if (resources == null || resources.restored) {
      resources = new Resources();
      byContact.put(contact, resources);
    }
    List<PresenceState> states = resources.states;
    if (state.isAvailable()) {
      states.removeIf(s -> !s.isAvailable());
      resources.put(state);
    } else if (resourceOf(state).equals(BARE)) {
      // Unavailable from the bare JID stands for every resource.
      states.clear();
      states.add(state);
    } else {
      int i = resources.indexOf(resourceOf(state));
      if (i >= 0) {
        states.remove(i);
      }
      if (states.isEmpty()) {
        states.add(state);
      }
    }
    return List.copyOf(states);
  }

  /** The contact's resources, if any presence of it was received. */
  Optional<List<PresenceState>> known(String contact) {
    Resources resources = byContact.get(contact);
    return resources == null ? Optional.empty() : Optional.of(List.copyOf(resources.states));
  }

  /** Forgets the contact, e.g. when nobody watches it any more. */
  void forget(String contact) {
    byContact.remove(contact);
  }
}
