package org.passerelle.model.errors;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The stanza error condition to return when the SIP side answers with a failure (RFC 7247 §7.2, a
 * SHOULD). Codes the table does not list take the default of their class: 3xx {@code redirect}, 4xx
 * {@code bad-request}, 5xx {@code internal-server-error}, 6xx {@code recipient-unavailable}. 1xx
 * and 2xx are not errors. The error type is the condition's {@link
 * StanzaCondition#recommendedType()}, and the response's reason phrase can go into the error's
 * {@code <text/>} (RFC 7247 §7).
 *
 * <p>For 301 the condition is {@code gone} and for 300, 302 and 305 {@code redirect}; the caller
 * puts the new address from the {@code Contact} header, as an {@code xmpp:} URI, into the condition
 * element (RFC 6120 §8.3.3.5, §8.3.3.14).
 */
public final class SipToXmppErrors {

  /**
   * One row of the RFC 7247 §7.2 table: the condition used, and the others the RFC names as
   * possible for that code.
   */
  public record Row(int status, StanzaCondition condition, List<StanzaCondition> alternatives) {
    public Row {
      XmppToSipErrors.checkFailure(status);
      Objects.requireNonNull(condition, "condition");
      alternatives = List.copyOf(alternatives);
    }

    static Row of(int status, StanzaCondition condition, StanzaCondition... alternatives) {
      return new Row(status, condition, List.of(alternatives));
    }
  }

  /** RFC 7247 §7.2, in the order of the RFC. */
  public static final List<Row> TABLE =
      List.of(
          Row.of(300, StanzaCondition.REDIRECT),
          Row.of(301, StanzaCondition.GONE),
          Row.of(302, StanzaCondition.REDIRECT),
          Row.of(305, StanzaCondition.REDIRECT),
          Row.of(380, StanzaCondition.NOT_ACCEPTABLE),
          Row.of(400, StanzaCondition.BAD_REQUEST),
          Row.of(401, StanzaCondition.NOT_AUTHORIZED),
          Row.of(402, StanzaCondition.BAD_REQUEST),
          Row.of(
              403,
              StanzaCondition.FORBIDDEN,
              StanzaCondition.NOT_ALLOWED,
              StanzaCondition.POLICY_VIOLATION),
          Row.of(404, StanzaCondition.ITEM_NOT_FOUND, StanzaCondition.REMOTE_SERVER_NOT_FOUND),
          Row.of(405, StanzaCondition.FEATURE_NOT_IMPLEMENTED),
          Row.of(406, StanzaCondition.NOT_ACCEPTABLE),
          Row.of(407, StanzaCondition.REGISTRATION_REQUIRED),
          Row.of(
              408, StanzaCondition.REMOTE_SERVER_TIMEOUT, StanzaCondition.REMOTE_SERVER_NOT_FOUND),
          Row.of(410, StanzaCondition.GONE),
          Row.of(413, StanzaCondition.POLICY_VIOLATION),
          Row.of(414, StanzaCondition.POLICY_VIOLATION),
          Row.of(415, StanzaCondition.NOT_ACCEPTABLE),
          Row.of(416, StanzaCondition.NOT_ACCEPTABLE),
          Row.of(420, StanzaCondition.FEATURE_NOT_IMPLEMENTED),
          Row.of(421, StanzaCondition.NOT_ACCEPTABLE),
          Row.of(423, StanzaCondition.RESOURCE_CONSTRAINT),
          Row.of(430, StanzaCondition.RECIPIENT_UNAVAILABLE),
          Row.of(439, StanzaCondition.FEATURE_NOT_IMPLEMENTED),
          Row.of(440, StanzaCondition.POLICY_VIOLATION),
          Row.of(480, StanzaCondition.RECIPIENT_UNAVAILABLE),
          Row.of(481, StanzaCondition.ITEM_NOT_FOUND),
          Row.of(482, StanzaCondition.NOT_ACCEPTABLE),
          Row.of(483, StanzaCondition.NOT_ACCEPTABLE),
          Row.of(484, StanzaCondition.ITEM_NOT_FOUND),
          Row.of(485, StanzaCondition.ITEM_NOT_FOUND),
          Row.of(486, StanzaCondition.RECIPIENT_UNAVAILABLE),
          Row.of(487, StanzaCondition.RECIPIENT_UNAVAILABLE),
          Row.of(488, StanzaCondition.NOT_ACCEPTABLE),
          Row.of(489, StanzaCondition.POLICY_VIOLATION),
          Row.of(491, StanzaCondition.UNEXPECTED_REQUEST),
          Row.of(493, StanzaCondition.BAD_REQUEST),
          Row.of(500, StanzaCondition.INTERNAL_SERVER_ERROR),
          Row.of(501, StanzaCondition.FEATURE_NOT_IMPLEMENTED),
          Row.of(502, StanzaCondition.REMOTE_SERVER_NOT_FOUND),
          Row.of(503, StanzaCondition.INTERNAL_SERVER_ERROR),
          Row.of(504, StanzaCondition.REMOTE_SERVER_TIMEOUT),
          Row.of(505, StanzaCondition.NOT_ACCEPTABLE),
          Row.of(513, StanzaCondition.POLICY_VIOLATION),
          Row.of(600, StanzaCondition.RECIPIENT_UNAVAILABLE),
          Row.of(603, StanzaCondition.RECIPIENT_UNAVAILABLE),
          Row.of(604, StanzaCondition.ITEM_NOT_FOUND),
          Row.of(606, StanzaCondition.NOT_ACCEPTABLE));

  /** Lowest and highest status codes of RFC 3261 §7.2 ({@code 100} to {@code 699}). */
  public static final int MIN_STATUS = 100;

  public static final int MAX_STATUS = 699;

  /** Indexed by status code minus 300; shared {@code Optional}s so a lookup allocates nothing. */
  private static final List<Optional<StanzaCondition>> BY_STATUS;

  static {
    Map<StanzaCondition, Optional<StanzaCondition>> optionals =
        new EnumMap<>(StanzaCondition.class);
    for (StanzaCondition condition : StanzaCondition.values()) {
      optionals.put(condition, Optional.of(condition));
    }
    List<Optional<StanzaCondition>> byStatus = new ArrayList<>();
    for (int status = 300; status <= MAX_STATUS; status++) {
      byStatus.add(optionals.get(classDefault(status)));
    }
    for (Row row : TABLE) {
      byStatus.set(row.status() - 300, optionals.get(row.condition()));
    }
    BY_STATUS = List.copyOf(byStatus);
  }

  private SipToXmppErrors() {}

  /**
   * The condition for a final SIP status code; empty for 1xx and 2xx, which are not errors.
   *
   * @throws IllegalArgumentException if {@code status} is not between 100 and 699
   */
  public static Optional<StanzaCondition> condition(int status) {
    if (status < MIN_STATUS || status > MAX_STATUS) {
      throw new IllegalArgumentException("not a SIP status code: " + status);
    }
    return status < 300 ? Optional.empty() : BY_STATUS.get(status - 300);
  }

  /** The condition of a code the table does not list: the default of its class (RFC 7247 §7.2). */
  static StanzaCondition classDefault(int status) {
    return switch (status / 100) {
      case 3 -> StanzaCondition.REDIRECT;
      case 4 -> StanzaCondition.BAD_REQUEST;
      case 5 -> StanzaCondition.INTERNAL_SERVER_ERROR;
      case 6 -> StanzaCondition.RECIPIENT_UNAVAILABLE;
      default -> throw new IllegalArgumentException("not a SIP failure status: " + status);
    };
  }
}
