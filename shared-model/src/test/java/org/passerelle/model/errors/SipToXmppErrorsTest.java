package org.passerelle.model.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.xmpp.packet.PacketError;

class SipToXmppErrorsTest {

  // RFC 7247 §7.2, row by row.
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "300, redirect",
    "301, gone",
    "302, redirect",
    "305, redirect",
    "380, not-acceptable",
    "400, bad-request",
    "401, not-authorized",
    "402, bad-request",
    "403, forbidden",
    "404, item-not-found",
    "405, feature-not-implemented",
    "406, not-acceptable",
    "407, registration-required",
    "408, remote-server-timeout",
    "410, gone",
    "413, policy-violation",
    "414, policy-violation",
    "415, not-acceptable",
    "416, not-acceptable",
    "420, feature-not-implemented",
    "421, not-acceptable",
    "423, resource-constraint",
    "430, recipient-unavailable",
    "439, feature-not-implemented",
    "440, policy-violation",
    "480, recipient-unavailable",
    "481, item-not-found",
    "482, not-acceptable",
    "483, not-acceptable",
    "484, item-not-found",
    "485, item-not-found",
    "486, recipient-unavailable",
    "487, recipient-unavailable",
    "488, not-acceptable",
    "489, policy-violation",
    "491, unexpected-request",
    "493, bad-request",
    "500, internal-server-error",
    "501, feature-not-implemented",
    "502, remote-server-not-found",
    "503, internal-server-error",
    "504, remote-server-timeout",
    "505, not-acceptable",
    "513, policy-violation",
    "600, recipient-unavailable",
    "603, recipient-unavailable",
    "604, item-not-found",
    "606, not-acceptable",
  })
  void rfc7247Section72Table(int status, String name) {
    assertThat(SipToXmppErrors.condition(status)).map(StanzaCondition::elementName).contains(name);
  }

  @Test
  void tableListsEveryRowOnce() {
    assertThat(SipToXmppErrors.TABLE).hasSize(48);
    assertThat(SipToXmppErrors.TABLE)
        .extracting(SipToXmppErrors.Row::status)
        .doesNotHaveDuplicates()
        .isSorted();
  }

  // RFC 7247 §7.2 names alternatives for 403, 404 and 408.
  @Test
  void alternativesAreKeptAsData() {
    assertThat(row(403).alternatives())
        .containsExactly(StanzaCondition.NOT_ALLOWED, StanzaCondition.POLICY_VIOLATION);
    assertThat(row(404).alternatives()).containsExactly(StanzaCondition.REMOTE_SERVER_NOT_FOUND);
    assertThat(row(408).alternatives()).containsExactly(StanzaCondition.REMOTE_SERVER_NOT_FOUND);
    assertThat(row(480).alternatives()).isEmpty();
  }

  // RFC 7247 §7.2: codes not in the table take the default of their class.
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "303, redirect",
    "399, redirect",
    "409, bad-request",
    "422, bad-request",
    "499, bad-request",
    "506, internal-server-error",
    "580, internal-server-error",
    "599, internal-server-error",
    "601, recipient-unavailable",
    "607, recipient-unavailable",
    "699, recipient-unavailable",
  })
  void unlistedCodesTakeTheirClassDefault(int status, String name) {
    assertThat(SipToXmppErrors.condition(status)).map(StanzaCondition::elementName).contains(name);
  }

  @ParameterizedTest
  @ValueSource(ints = {100, 180, 183, 199, 200, 202, 299})
  void provisionalAndSuccessResponsesAreNoErrors(int status) {
    assertThat(SipToXmppErrors.condition(status)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 0, 99, 700, 999})
  void codesOutsideSipAreRefused(int status) {
    assertThatIllegalArgumentException().isThrownBy(() -> SipToXmppErrors.condition(status));
  }

  // RFC 6120 §8.3.3: the error type comes with the condition.
  @Test
  void errorTypeIsTheConditionsRecommendedType() {
    assertThat(SipToXmppErrors.condition(486).orElseThrow().recommendedType())
        .isEqualTo(PacketError.Type.wait);
    assertThat(SipToXmppErrors.condition(404).orElseThrow().recommendedType())
        .isEqualTo(PacketError.Type.cancel);
    assertThat(SipToXmppErrors.condition(513).orElseThrow().recommendedType())
        .isEqualTo(PacketError.Type.modify);
  }

  private static SipToXmppErrors.Row row(int status) {
    return SipToXmppErrors.TABLE.stream()
        .filter(r -> r.status() == status)
        .findFirst()
        .orElseThrow();
  }
}
