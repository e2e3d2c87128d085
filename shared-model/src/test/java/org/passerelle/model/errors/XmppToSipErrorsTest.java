package org.passerelle.model.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.passerelle.model.errors.XmppToSipErrors.Hint;
import org.passerelle.model.errors.XmppToSipErrors.Recipient;
import org.xmpp.packet.PacketError;

class XmppToSipErrorsTest {

  // RFC 7247 §7.1, row by row: condition, status for a full JID, status for a bare JID.
  @ParameterizedTest(name = "{0} -> {1} / {2}")
  @CsvSource({
    "bad-request, 400, 400",
    "conflict, 400, 400",
    "feature-not-implemented, 405, 501",
    "forbidden, 403, 603",
    "gone, 410, 410",
    "internal-server-error, 500, 500",
    "item-not-found, 404, 604",
    "jid-malformed, 400, 400",
    "not-acceptable, 406, 606",
    "not-allowed, 403, 403",
    "not-authorized, 401, 401",
    "policy-violation, 403, 403",
    "recipient-unavailable, 480, 600",
    "redirect, 302, 302",
    "registration-required, 407, 407",
    "remote-server-not-found, 404, 404",
    "remote-server-timeout, 408, 408",
    "resource-constraint, 500, 500",
    "service-unavailable, 403, 403",
    "subscription-required, 400, 400",
    "undefined-condition, 400, 400",
    "unexpected-request, 491, 491",
  })
  void rfc7247Section71Table(String name, int fullJid, int bareJid) {
    StanzaCondition condition = StanzaCondition.fromElementName(name).orElseThrow();

    assertThat(XmppToSipErrors.statusCode(condition, Recipient.FULL_JID)).isEqualTo(fullJid);
    assertThat(XmppToSipErrors.statusCode(condition, Recipient.BARE_JID)).isEqualTo(bareJid);
  }

  @Test
  void tableHasOneRowPerConditionInRfcOrder() {
    assertThat(XmppToSipErrors.TABLE)
        .extracting(XmppToSipErrors.Row::condition)
        .containsExactly(StanzaCondition.values());
  }

  // RFC 7247 §7.1: service-unavailable has no exact SIP match and must not become 503.
  @ParameterizedTest
  @EnumSource(Recipient.class)
  void serviceUnavailableIsNever503(Recipient recipient) {
    for (Hint hint : Hint.values()) {
      assertThat(XmppToSipErrors.statusCode(StanzaCondition.SERVICE_UNAVAILABLE, recipient, hint))
          .isEqualTo(403);
    }
  }

  // RFC 7247 §7.1: gone is 301 when it names a new address, 410 otherwise.
  @Test
  void goneWithANewAddressIs301() {
    assertThat(
            XmppToSipErrors.statusCode(
                StanzaCondition.GONE, Recipient.BARE_JID, Hint.NEW_ADDRESS_GIVEN))
        .isEqualTo(301);
    assertThat(XmppToSipErrors.statusCode(StanzaCondition.GONE, Recipient.BARE_JID, Hint.NONE))
        .isEqualTo(410);
  }

  // RFC 7247 §7.1: remote-server-not-found is 404 (no such server) or 408 (unresolvable).
  @Test
  void remoteServerNotFoundIs408OnlyWhenTheNameDidNotResolve() {
    assertThat(
            XmppToSipErrors.statusCode(
                StanzaCondition.REMOTE_SERVER_NOT_FOUND,
                Recipient.FULL_JID,
                Hint.DOMAIN_UNRESOLVABLE))
        .isEqualTo(408);
    assertThat(
            XmppToSipErrors.statusCode(
                StanzaCondition.REMOTE_SERVER_NOT_FOUND, Recipient.FULL_JID, Hint.NONE))
        .isEqualTo(404);
  }

  @Test
  void hintsForOtherConditionsAreIgnored() {
    assertThat(
            XmppToSipErrors.statusCode(
                StanzaCondition.ITEM_NOT_FOUND, Recipient.BARE_JID, Hint.NEW_ADDRESS_GIVEN))
        .isEqualTo(604);
    assertThat(
            XmppToSipErrors.statusCode(
                StanzaCondition.GONE, Recipient.BARE_JID, Hint.DOMAIN_UNRESOLVABLE))
        .isEqualTo(410);
  }

  @Test
  void recipientIsFullWhenTheJidHasAResource() {
    assertThat(Recipient.of("juliet@example.com/balcony")).isEqualTo(Recipient.FULL_JID);
    assertThat(Recipient.of("juliet@example.com")).isEqualTo(Recipient.BARE_JID);
    assertThat(Recipient.of("example.com")).isEqualTo(Recipient.BARE_JID);
  }

  @Test
  void tinderConditionsMapThroughStanzaCondition() {
    assertThat(XmppToSipErrors.statusCode(PacketError.Condition.item_not_found, Recipient.FULL_JID))
        .isEqualTo(404);
    assertThat(
            XmppToSipErrors.statusCode(PacketError.Condition.payment_required, Recipient.FULL_JID))
        .isEqualTo(400);
  }

  @Test
  void rowsHoldOnlyFailureOrRedirectCodes() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new XmppToSipErrors.Row(StanzaCondition.CONFLICT, 200, 400));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new XmppToSipErrors.Row(StanzaCondition.CONFLICT, 400, 700));
  }
}
