package org.passerelle.model.errors;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.xmpp.packet.PacketError;

/**
 * The 22 defined stanza error conditions of RFC 6120 §8.3.3, each with the error type that section
 * recommends.
 *
 * <p>Tinder's {@link PacketError.Condition} follows RFC 3920 and cannot stand in for it: it has no
 * {@code policy-violation}, still has {@code payment-required}, and its default types differ for
 * {@code gone} and {@code internal-server-error} (RFC 6120 says {@code cancel} for both) and for
 * {@code undefined-condition}. {@link #fromTinder} and {@link #toTinder} bridge the two.
 */
public enum StanzaCondition {
  BAD_REQUEST("bad-request", PacketError.Type.modify),
  CONFLICT("conflict", PacketError.Type.cancel),
  /** RFC 6120 §8.3.3.3: "cancel" or "modify"; we send "cancel". */
  FEATURE_NOT_IMPLEMENTED("feature-not-implemented", PacketError.Type.cancel),
  FORBIDDEN("forbidden", PacketError.Type.auth),
  /** Carries the new address, if any, as its text (RFC 6120 §8.3.3.5). */
  GONE("gone", PacketError.Type.cancel),
  INTERNAL_SERVER_ERROR("internal-server-error", PacketError.Type.cancel),
  ITEM_NOT_FOUND("item-not-found", PacketError.Type.cancel),
  JID_MALFORMED("jid-malformed", PacketError.Type.modify),
  NOT_ACCEPTABLE("not-acceptable", PacketError.Type.modify),
  NOT_ALLOWED("not-allowed", PacketError.Type.cancel),
  NOT_AUTHORIZED("not-authorized", PacketError.Type.auth),
  /** RFC 6120 §8.3.3.12: "modify" or "wait"; we send "modify". */
  POLICY_VIOLATION("policy-violation", PacketError.Type.modify),
  RECIPIENT_UNAVAILABLE("recipient-unavailable", PacketError.Type.wait),
  /** Carries the alternative address as its text (RFC 6120 §8.3.3.14). */
  REDIRECT("redirect", PacketError.Type.modify),
  REGISTRATION_REQUIRED("registration-required", PacketError.Type.auth),
  REMOTE_SERVER_NOT_FOUND("remote-server-not-found", PacketError.Type.cancel),
  REMOTE_SERVER_TIMEOUT("remote-server-timeout", PacketError.Type.wait),
  RESOURCE_CONSTRAINT("resource-constraint", PacketError.Type.wait),
  SERVICE_UNAVAILABLE("service-unavailable", PacketError.Type.cancel),
  SUBSCRIPTION_REQUIRED("subscription-required", PacketError.Type.auth),
  /**
   * RFC 6120 §8.3.3.21 allows any type; we send "cancel", so that a failure nobody could name is
   * not retried.
   */
  UNDEFINED_CONDITION("undefined-condition", PacketError.Type.cancel),
  /** RFC 6120 §8.3.3.22: "wait" or "modify"; we send "wait". */
  UNEXPECTED_REQUEST("unexpected-request", PacketError.Type.wait);

  private static final Map<String, StanzaCondition> BY_NAME = new HashMap<>();

  private static final Map<StanzaCondition, Optional<PacketError.Condition>> TO_TINDER =
      new EnumMap<>(StanzaCondition.class);

  static {
    for (StanzaCondition condition : values()) {
      BY_NAME.put(condition.elementName, condition);
      TO_TINDER.put(condition, Optional.empty());
    }
    for (PacketError.Condition tinder : PacketError.Condition.values()) {
      StanzaCondition condition = BY_NAME.get(tinder.toXMPP());
      if (condition != null) {
        TO_TINDER.put(condition, Optional.of(tinder));
      }
    }
  }

  private final String elementName;
  private final PacketError.Type recommendedType;

  StanzaCondition(String elementName, PacketError.Type recommendedType) {
    this.elementName = elementName;
    this.recommendedType = recommendedType;
  }

  /** The element name in the {@code urn:ietf:params:xml:ns:xmpp-stanzas} namespace. */
  public String elementName() {
    return elementName;
  }

  /** The error type RFC 6120 §8.3.3 recommends with this condition. */
  public PacketError.Type recommendedType() {
    return recommendedType;
  }

  /**
   * The condition of an element name, exactly as written (XML names are case-sensitive); empty for
   * a name RFC 6120 does not define, which a receiver treats as {@link #UNDEFINED_CONDITION}.
   */
  public static Optional<StanzaCondition> fromElementName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /**
   * The condition of a Tinder condition; RFC 3920's {@code payment-required}, which RFC 6120
   * removed, becomes {@link #UNDEFINED_CONDITION}.
   */
  public static StanzaCondition fromTinder(PacketError.Condition condition) {
    Objects.requireNonNull(condition, "condition");
    return BY_NAME.getOrDefault(condition.toXMPP(), UNDEFINED_CONDITION);
  }

  /**
   * The same condition in Tinder's enum; empty for {@link #POLICY_VIOLATION}, which Tinder lacks
   * (write the element by its {@link #elementName()} instead).
   */
  public Optional<PacketError.Condition> toTinder() {
    return TO_TINDER.get(this);
  }
}
