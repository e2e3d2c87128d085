package org.passerelle.model.errors;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.xmpp.packet.PacketError;

/**
 * The SIP status code to answer with when the XMPP side returns a stanza error (RFC 7247 §7.1, a
 * SHOULD). Some conditions map differently when the intended recipient was a full JID (one device)
 * or a bare JID (the user everywhere): a 4xx for one device, a 6xx for the user.
 *
 * <p>Where the RFC leaves a choice:
 *
 * <ul>
 *   <li>{@code service-unavailable} has no exact match and must not become 503, which SIP keeps for
 *       overload and which makes SIP clients fail over (RFC 3263 §4.3). We answer 403: it reveals
 *       nothing about the user (XMPP servers use {@code service-unavailable} to hide whether an
 *       account exists, RFC 6121 §8.5), and unlike 405 it needs no {@code Allow} header (RFC 3261
 *       §21.4.6).
 *   <li>{@code remote-server-not-found} is 404 when the domain does not exist, which is what the
 *       condition says (RFC 6120 §8.3.3.16) and all an error from a peer tells us; it is 408 only
 *       when we know the name could not be resolved in time ({@link Hint#DOMAIN_UNRESOLVABLE}).
 *   <li>{@code gone} is 410, or 301 when it carries a new address ({@link Hint#NEW_ADDRESS_GIVEN});
 *       the caller puts that address in the {@code Contact} header.
 *   <li>{@code unexpected-request} is 491 (the RFC's first choice; "try again later", like the
 *       condition's {@code wait} type), not 400, which would tell the client its request is bad.
 * </ul>
 */
public final class XmppToSipErrors {

  /** Who the failed stanza was addressed to. */
  public enum Recipient {
    /** A full JID ({@code user@domain/resource}): one device of the user. */
    FULL_JID,
    /** A bare JID ({@code user@domain}) or a domain: the user as a whole. */
    BARE_JID;

    /** Of a JID string, by whether it has a resourcepart (RFC 7622 §3.1). */
    public static Recipient of(String jid) {
      return jid.indexOf('/') >= 0 ? FULL_JID : BARE_JID;
    }
  }

  /** What the caller knows beyond the condition; a hint that does not concern it is ignored. */
  public enum Hint {
    NONE,
    /** The {@code <gone/>} element carries a new address: 301 instead of 410. */
    NEW_ADDRESS_GIVEN,
    /** {@code remote-server-not-found} because DNS did not answer: 408 instead of 404. */
    DOMAIN_UNRESOLVABLE
  }

  /** One row of the RFC 7247 §7.1 table. */
  public record Row(StanzaCondition condition, int fullJid, int bareJid) {
    public Row {
      Objects.requireNonNull(condition, "condition");
      checkFailure(fullJid);
      checkFailure(bareJid);
    }

    /** The same status code whoever the recipient was. */
    static Row of(StanzaCondition condition, int status) {
      return new Row(condition, status, status);
    }

    public int status(Recipient recipient) {
      return recipient == Recipient.FULL_JID ? fullJid : bareJid;
    }
  }

  /** 301 Moved Permanently: {@code gone} with a new address. */
  public static final int GONE_WITH_NEW_ADDRESS = 301;

  /** 408 Request Timeout: {@code remote-server-not-found} when the name did not resolve. */
  public static final int DOMAIN_UNRESOLVABLE = 408;

  /** RFC 7247 §7.1, in the order of the RFC, with the choices of the class comment. */
  public static final List<Row> TABLE =
      List.of(
          Row.of(StanzaCondition.BAD_REQUEST, 400),
          Row.of(StanzaCondition.CONFLICT, 400),
          new Row(StanzaCondition.FEATURE_NOT_IMPLEMENTED, 405, 501),
          new Row(StanzaCondition.FORBIDDEN, 403, 603),
          Row.of(StanzaCondition.GONE, 410),
          Row.of(StanzaCondition.INTERNAL_SERVER_ERROR, 500),
          new Row(StanzaCondition.ITEM_NOT_FOUND, 404, 604),
          Row.of(StanzaCondition.JID_MALFORMED, 400),
          new Row(StanzaCondition.NOT_ACCEPTABLE, 406, 606),
          Row.of(StanzaCondition.NOT_ALLOWED, 403),
          Row.of(StanzaCondition.NOT_AUTHORIZED, 401),
          Row.of(StanzaCondition.POLICY_VIOLATION, 403),
          new Row(StanzaCondition.RECIPIENT_UNAVAILABLE, 480, 600),
          Row.of(StanzaCondition.REDIRECT, 302),
          Row.of(StanzaCondition.REGISTRATION_REQUIRED, 407),
          Row.of(StanzaCondition.REMOTE_SERVER_NOT_FOUND, 404),
          Row.of(StanzaCondition.REMOTE_SERVER_TIMEOUT, 408),
          Row.of(StanzaCondition.RESOURCE_CONSTRAINT, 500),
          Row.of(StanzaCondition.SERVICE_UNAVAILABLE, 403),
          Row.of(StanzaCondition.SUBSCRIPTION_REQUIRED, 400),
          Row.of(StanzaCondition.UNDEFINED_CONDITION, 400),
          Row.of(StanzaCondition.UNEXPECTED_REQUEST, 491));

  private static final Map<StanzaCondition, Row> BY_CONDITION =
      new EnumMap<>(StanzaCondition.class);

  static {
    for (Row row : TABLE) {
      BY_CONDITION.put(row.condition(), row);
    }
    if (BY_CONDITION.size() != StanzaCondition.values().length) {
      throw new AssertionError("RFC 7247 §7.1 table must cover every condition");
    }
  }

  private XmppToSipErrors() {}

  /** The status code for a condition, with nothing known beyond it. */
  public static int statusCode(StanzaCondition condition, Recipient recipient) {
    return statusCode(condition, recipient, Hint.NONE);
  }

  /** The status code for a condition, refined by what the caller knows. */
  public static int statusCode(StanzaCondition condition, Recipient recipient, Hint hint) {
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(hint, "hint");
    if (condition == StanzaCondition.GONE && hint == Hint.NEW_ADDRESS_GIVEN) {
      return GONE_WITH_NEW_ADDRESS;
    }
    if (condition == StanzaCondition.REMOTE_SERVER_NOT_FOUND && hint == Hint.DOMAIN_UNRESOLVABLE) {
      return DOMAIN_UNRESOLVABLE;
    }
    return BY_CONDITION.get(Objects.requireNonNull(condition, "condition")).status(recipient);
  }

  /** The status code for a Tinder condition (see {@link StanzaCondition#fromTinder}). */
  public static int statusCode(PacketError.Condition condition, Recipient recipient) {
    return statusCode(StanzaCondition.fromTinder(condition), recipient, Hint.NONE);
  }

  static void checkFailure(int status) {
    if (status < 300 || status > 699) {
      throw new IllegalArgumentException("not a SIP failure or redirect status: " + status);
    }
  }
}
