package org.passerelle.model.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.xmpp.packet.PacketError;

class StanzaConditionTest {

  // RFC 6120 §8.3.3.1 to §8.3.3.22, one row per condition: element name and recommended type.
  @ParameterizedTest(name = "§8.3.3.{0} {1}")
  @CsvSource({
    "1, bad-request, modify",
    "2, conflict, cancel",
    "3, feature-not-implemented, cancel",
    "4, forbidden, auth",
    "5, gone, cancel",
    "6, internal-server-error, cancel",
    "7, item-not-found, cancel",
    "8, jid-malformed, modify",
    "9, not-acceptable, modify",
    "10, not-allowed, cancel",
    "11, not-authorized, auth",
    "12, policy-violation, modify",
    "13, recipient-unavailable, wait",
    "14, redirect, modify",
    "15, registration-required, auth",
    "16, remote-server-not-found, cancel",
    "17, remote-server-timeout, wait",
    "18, resource-constraint, wait",
    "19, service-unavailable, cancel",
    "20, subscription-required, auth",
    "21, undefined-condition, cancel",
    "22, unexpected-request, wait",
  })
  void recommendedTypeFollowsRfc6120(int section, String name, PacketError.Type type) {
    StanzaCondition condition = StanzaCondition.fromElementName(name).orElseThrow();

    assertThat(condition.ordinal()).isEqualTo(section - 1);
    assertThat(condition.elementName()).isEqualTo(name);
    assertThat(condition.recommendedType()).isEqualTo(type);
  }

  @Test
  void unknownOrMiscasedNamesAreNotConditions() {
    assertThat(StanzaCondition.fromElementName("payment-required")).isEmpty();
    assertThat(StanzaCondition.fromElementName("Bad-Request")).isEmpty();
  }

  // Tinder follows RFC 3920: it lacks policy-violation and keeps payment-required.
  @ParameterizedTest
  @EnumSource(PacketError.Condition.class)
  void everyTinderConditionHasOne(PacketError.Condition tinder) {
    StanzaCondition condition = StanzaCondition.fromTinder(tinder);

    if (tinder == PacketError.Condition.payment_required) {
      assertThat(condition).isEqualTo(StanzaCondition.UNDEFINED_CONDITION);
    } else {
      assertThat(condition.elementName()).isEqualTo(tinder.toXMPP());
      assertThat(condition.toTinder()).contains(tinder);
    }
  }

  @Test
  void policyViolationHasNoTinderCondition() {
    assertThat(StanzaCondition.POLICY_VIOLATION.toTinder()).isEmpty();
  }

  // Where Tinder's default type differs from RFC 6120 §8.3.3, we follow the RFC.
  @ParameterizedTest
  @EnumSource(StanzaCondition.class)
  void tinderDefaultTypesAgreeExceptWhereRfc6120Differs(StanzaCondition condition) {
    Set<StanzaCondition> differ =
        EnumSet.of(
            StanzaCondition.GONE, // Tinder: modify
            StanzaCondition.INTERNAL_SERVER_ERROR, // Tinder: wait
            StanzaCondition.UNDEFINED_CONDITION); // Tinder: wait; the RFC allows any
    condition
        .toTinder()
        .ifPresent(
            tinder -> {
              if (differ.contains(condition)) {
                assertThat(tinder.getDefaultType()).isNotEqualTo(condition.recommendedType());
              } else {
                assertThat(tinder.getDefaultType()).isEqualTo(condition.recommendedType());
              }
            });
  }
}
