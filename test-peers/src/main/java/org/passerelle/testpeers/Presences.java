package org.passerelle.testpeers;

import java.util.Objects;
import java.util.function.Predicate;
import org.jivesoftware.smack.packet.Presence;
import org.jxmpp.jid.Jid;

/**
 * Conditions on a received {@code <presence/>} that read as a sentence, for {@link
 * XmppTestClient#awaitPresence}:
 *
 * <pre>{@code
 * alice.awaitPresence(Presences.from("bob@p.test").type(Presence.Type.subscribed), WAIT);
 * alice.awaitPresence(Presences.from("bob@p.test").mode(Presence.Mode.away).status("lunch"), WAIT);
 * }</pre>
 *
 * <p>Immutable: each method returns a new condition that also requires what it names.
 */
public final class Presences implements Predicate<Presence> {

  private final Predicate<Presence> condition;
  private final String description;

  private Presences(Predicate<Presence> condition, String description) {
    this.condition = condition;
    this.description = description;
  }

  /**
   * Presence from {@code jid}: from any of its resources if it is a bare JID, from that resource
   * only if it is a full JID.
   */
  public static Presences from(String jid) {
    Jid sender = XmppTestClient.jid(jid);
    Predicate<Presence> condition =
        sender.hasResource()
            ? presence -> sender.equals(presence.getFrom())
            : presence ->
                presence.getFrom() != null && sender.equals(presence.getFrom().asBareJid());
    return new Presences(condition, "presence from " + sender);
  }

  /** Also of {@code type}, e.g. {@code subscribed} or {@code unavailable}. */
  public Presences type(Presence.Type type) {
    Objects.requireNonNull(type, "type");
    return and(presence -> presence.getType() == type, "type " + type);
  }

  /**
   * Also available with {@code mode} ({@code <show/>}, RFC 6121 §4.7.2.1); {@link
   * Presence.Mode#available} means no {@code <show/>}.
   */
  public Presences mode(Presence.Mode mode) {
    Objects.requireNonNull(mode, "mode");
    return and(
        presence -> presence.getType() == Presence.Type.available && presence.getMode() == mode,
        "mode " + mode);
  }

  /** Also with the status text {@code status} (RFC 6121 §4.7.2.2). */
  public Presences status(String status) {
    Objects.requireNonNull(status, "status");
    return and(presence -> status.equals(presence.getStatus()), "status \"" + status + "\"");
  }

  @Override
  public boolean test(Presence presence) {
    return condition.test(presence);
  }

  @Override
  public String toString() {
    return description;
  }

  private Presences and(Predicate<Presence> more, String what) {
    return new Presences(condition.and(more), description + ", " + what);
  }
}
