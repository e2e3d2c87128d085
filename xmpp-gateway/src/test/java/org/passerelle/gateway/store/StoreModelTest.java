package org.passerelle.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.passerelle.gateway.store.StoreTesting.ALICE;
import static org.passerelle.gateway.store.StoreTesting.ALICE_WATCHES_BOB;
import static org.passerelle.gateway.store.StoreTesting.BOB;
import static org.passerelle.gateway.store.StoreTesting.BOB_WATCHES_ALICE;
import static org.passerelle.gateway.store.StoreTesting.T0;
import static org.passerelle.gateway.store.StoreTesting.dialog;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stored values: their states, transitions and limits. */
class StoreModelTest {

  @Test
  void eachDirectionIsPendingOnTheSideThatAskedAsRfc6121AppendixASays() {
    assertThat(Direction.XMPP_WATCHES_SIP.pendingState()).isEqualTo(AuthorizationState.PENDING_IN);
    assertThat(Direction.SIP_WATCHES_XMPP.pendingState()).isEqualTo(AuthorizationState.PENDING_OUT);
    assertThat(Authorization.requested(BOB_WATCHES_ALICE, T0).state())
        .isEqualTo(AuthorizationState.PENDING_IN);
  }

  @Test
  void aPendingRequestMayBeRepeatedOrGrantedAndAGrantOnlyStays() {
    assertThat(AuthorizationState.PENDING_IN.canBecome(AuthorizationState.PENDING_IN)).isTrue();
    assertThat(AuthorizationState.PENDING_IN.canBecome(AuthorizationState.GRANTED)).isTrue();
    assertThat(AuthorizationState.PENDING_IN.canBecome(AuthorizationState.PENDING_OUT)).isFalse();
    assertThat(AuthorizationState.PENDING_OUT.canBecome(AuthorizationState.GRANTED)).isTrue();
    assertThat(AuthorizationState.PENDING_OUT.canBecome(AuthorizationState.PENDING_IN)).isFalse();
    assertThat(AuthorizationState.GRANTED.canBecome(AuthorizationState.GRANTED)).isTrue();
    assertThat(AuthorizationState.GRANTED.canBecome(AuthorizationState.PENDING_IN)).isFalse();
    assertThat(AuthorizationState.GRANTED.canBecome(AuthorizationState.PENDING_OUT)).isFalse();
  }

  @Test
  void anIllegalMoveThrowsAndNamesBothStates() {
    Authorization granted = Authorization.granted(ALICE_WATCHES_BOB, T0);

    assertThatThrownBy(() -> granted.moveTo(AuthorizationState.PENDING_OUT, T0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is GRANTED and cannot become PENDING_OUT");
  }

  @Test
  void anAuthorizationCannotBePendingOnTheWrongSide() {
    assertThatThrownBy(
            () -> new Authorization(ALICE_WATCHES_BOB, AuthorizationState.PENDING_IN, T0, T0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SIP_WATCHES_XMPP cannot be PENDING_IN");
  }

  @Test
  void instantsAreKeptToTheMillisecondAsStored() {
    Instant precise = Instant.parse("2026-03-01T10:00:00.123456789Z");

    Authorization authorization = Authorization.requested(BOB_WATCHES_ALICE, precise);

    assertThat(authorization.created()).isEqualTo(Instant.parse("2026-03-01T10:00:00.123Z"));
  }

  @Test
  void keysTakeBareJidsOnly() {
    assertThatThrownBy(() -> new AuthorizationKey(ALICE + "/desk", BOB, Direction.XMPP_WATCHES_SIP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("localJid must be a bare JID");
    assertThatThrownBy(() -> new AuthorizationKey(ALICE, "", Direction.XMPP_WATCHES_SIP))
        .hasMessageContaining("remoteJid is empty");
  }

  @Test
  void aJidLongerThanTheStoresLimitIsRefusedCountingOctets() {
    // 512 two-octet characters: 512 chars but 1024 octets, one over the limit.
    String local = "é".repeat(511) + "@x";

    assertThatThrownBy(() -> new AuthorizationKey(local, BOB, Direction.XMPP_WATCHES_SIP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1023 octets");
  }

  @Test
  void aCseqIsAThirtyTwoBitUnsignedNumber() {
    SipDialog dialog = dialog(BOB_WATCHES_ALICE, "call", T0);

    assertThat(dialog.toBuilder().localCseq(SipDialog.MAX_CSEQ).build().localCseq())
        .isEqualTo(0xFFFF_FFFFL);
    assertThatThrownBy(() -> dialog.toBuilder().localCseq(SipDialog.MAX_CSEQ + 1).build())
        .hasMessageContaining("localCseq must be within [0, 2^32 - 1]");
    assertThatThrownBy(() -> dialog.toBuilder().remoteCseq(-1).build())
        .hasMessageContaining("remoteCseq");
  }

  @Test
  void aRouteEntryCannotHoldALineBreakTheStoreSeparatesThemWith() {
    SipDialog dialog = dialog(BOB_WATCHES_ALICE, "call", T0);

    assertThatThrownBy(
            () -> dialog.toBuilder().routeSet(List.of("<sip:a;lr>\r\n<sip:b;lr>")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("routeSet entry contains a line break");
  }

  @Test
  void aDialogNeedsItsTargetAndExpiry() {
    SipDialog.Builder builder =
        SipDialog.builder(new DialogId("call", "tag"), BOB_WATCHES_ALICE)
            .localUri("sip:" + BOB)
            .remoteUri("sip:" + ALICE);

    assertThatThrownBy(builder::build).hasMessageContaining("expires");
    assertThatThrownBy(() -> builder.expires(T0).build()).hasMessageContaining("remoteTarget");
  }

  @Test
  void aDialogHasTheDirectionOfItsAuthorization() {
    assertThat(dialog(ALICE_WATCHES_BOB, "call", T0).direction())
        .isEqualTo(Direction.SIP_WATCHES_XMPP);
  }

  @Test
  void storedCodesReadBackAndUnknownOnesAreRefused() {
    for (Direction direction : Direction.values()) {
      assertThat(Direction.ofCode(direction.code())).isEqualTo(direction);
    }
    for (AuthorizationState state : AuthorizationState.values()) {
      assertThat(AuthorizationState.ofCode(state.code())).isEqualTo(state);
    }
    assertThatThrownBy(() -> AuthorizationState.ofCode("BOTH"))
        .hasMessageContaining("unknown authorization state in the store: BOTH");
  }
}
