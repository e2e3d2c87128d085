package org.passerelle.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.Test;
import org.passerelle.model.errors.StanzaCondition;
import org.passerelle.proxy.policy.PolicyDecision.Reason;

/**
 * What the gate keeps between decisions: connections per partner, discovered domains' limits, the
 * contact ledger of the unverified tier, and the policy swapped by a reload.
 */
class FederationGateTest {
  private static final PartnerPolicy DEFAULTS = PartnerPolicy.builder().build();
  private static final String LOCAL_USER = "romeo@sip.test";
  private static final String REMOTE_USER = "juliet@u.test";

  private final MutableClock clock = new MutableClock();

  private FederationGate gate(FederationPolicy policy) {
    return new FederationGate(policy, clock, clock::nanoTime);
  }

  private FederationGate unverifiedPartner() {
    return gate(
        FederationPolicy.builder(DEFAULTS)
            .partner(
                DEFAULTS.toBuilder().domains("u.test").tier(TrustTier.PUBLIC_UNVERIFIED).build())
            .contacts(new ContactLimits(100, Duration.ofDays(30)))
            .build());
  }

  // --- what observers are told ---

  @Test
  void everyRefusalIsReportedOnceWithItsReasonAndNothingElseIs() {
    List<Reason> reported = new ArrayList<>();
    FederationGate gate =
        new FederationGate(
            FederationPolicy.builder(DEFAULTS)
                .partner(DEFAULTS.toBuilder().domains("p.test").build())
                .partner(
                    DEFAULTS.toBuilder()
                        .domains("u.test")
                        .tier(TrustTier.PUBLIC_UNVERIFIED)
                        .build())
                .block("blocked.test")
                .contacts(new ContactLimits(100, Duration.ofDays(30)))
                .build(),
            reported::add);

    PolicyDecision partner = gate.admit("p.test");
    gate.recheck("p.test");
    gate.screenOutbound(message(LOCAL_USER, "x@p.test"), "p.test");
    gate.admit("blocked.test");
    gate.admit("stranger.test");
    gate.recheck("blocked.test");
    gate.screenInbound(message(REMOTE_USER, LOCAL_USER), "u.test");
    gate.overConnectionLimit(partner);

    assertThat(reported)
        .containsExactly(
            Reason.BLOCKED,
            Reason.NOT_A_PARTNER,
            Reason.BLOCKED,
            Reason.NOT_A_CONTACT,
            Reason.CONNECTION_LIMIT);
  }

  // --- tier rule ---

  @Test
  void anUnverifiedUserCannotWriteFirst() {
    FederationGate gate = unverifiedPartner();

    PolicyDecision decision = gate.screenInbound(message(REMOTE_USER + "/a", LOCAL_USER), "u.test");

    assertThat(decision.reason()).isEqualTo(Reason.NOT_A_CONTACT);
    assertThat(decision.reason().stanzaError()).isEqualTo(StanzaCondition.SERVICE_UNAVAILABLE);
    assertThat(decision.publicText()).as("the sender is not told why").isNull();
    assertThat(decision.text()).contains(LOCAL_USER).contains(REMOTE_USER);
  }

  @Test
  void anUnverifiedUserMayAnswerALocalUserWhoWroteFirst() {
    FederationGate gate = unverifiedPartner();

    assertThat(gate.screenOutbound(message(LOCAL_USER + "/desk", REMOTE_USER), "u.test").allowed())
        .isTrue();

    assertThat(gate.screenInbound(message(REMOTE_USER + "/a", LOCAL_USER), "u.test").allowed())
        .isTrue();
    assertThat(gate.screenInbound(message("someone@u.test/a", LOCAL_USER), "u.test").allowed())
        .as("only the user written to")
        .isFalse();
  }

  @Test
  void presenceMakesAContactButUnsubscriptionsDoNot() {
    // RFC 6121 §4.3, §4.4: a server probes, and sends presence to, contacts only.
    FederationGate gate = unverifiedPartner();

    gate.screenOutbound(presence(LOCAL_USER, "a@u.test", "subscribe"), "u.test");
    gate.screenOutbound(presence(LOCAL_USER, "b@u.test", "subscribed"), "u.test");
    gate.screenOutbound(presence(LOCAL_USER, "c@u.test", "probe"), "u.test");
    gate.screenOutbound(presence(LOCAL_USER, "d@u.test", null), "u.test");
    gate.screenOutbound(presence(LOCAL_USER, "e@u.test", "unsubscribed"), "u.test");
    gate.screenOutbound(presence(LOCAL_USER, "f@u.test", "unsubscribe"), "u.test");

    for (String contact : List.of("a", "b", "c", "d")) {
      assertThat(gate.screenInbound(message(contact + "@u.test", LOCAL_USER), "u.test").allowed())
          .as(contact)
          .isTrue();
    }
    for (String stranger : List.of("e", "f")) {
      assertThat(gate.screenInbound(message(stranger + "@u.test", LOCAL_USER), "u.test").allowed())
          .as(stranger)
          .isFalse();
    }
  }

  @Test
  void anErrorMessageDoesNotMakeAContact() {
    FederationGate gate = unverifiedPartner();
    Element error = message(LOCAL_USER, REMOTE_USER);
    error.addAttribute("type", "error");

    gate.screenOutbound(error, "u.test");

    assertThat(gate.contacts().size()).isZero();
  }

  @Test
  void aContactIsForgottenAfterItsExpiry() {
    FederationGate gate = unverifiedPartner();
    gate.screenOutbound(message(LOCAL_USER, REMOTE_USER), "u.test");

    clock.advance(Duration.ofDays(30));

    assertThat(gate.screenInbound(message(REMOTE_USER, LOCAL_USER), "u.test").allowed()).isFalse();
  }

  @Test
  void stanzasForTheDomainItselfAndIqAnswersPassTheTierRule() {
    FederationGate gate = unverifiedPartner();
    Element iqResult = DocumentHelper.createElement(QName.get("iq", "jabber:server"));
    iqResult.addAttribute("from", REMOTE_USER + "/a");
    iqResult.addAttribute("to", LOCAL_USER + "/desk");
    iqResult.addAttribute("type", "result");

    assertThat(gate.screenInbound(message(REMOTE_USER, "sip.test"), "u.test").allowed()).isTrue();
    assertThat(gate.screenInbound(iqResult, "u.test").allowed()).isTrue();
  }

  @Test
  void federatedAndVerifiedUsersMayWriteFirst() {
    FederationGate gate =
        gate(
            FederationPolicy.builder(DEFAULTS)
                .partners("f.test")
                .partner(
                    DEFAULTS.toBuilder().domains("v.test").tier(TrustTier.PUBLIC_VERIFIED).build())
                .build());

    assertThat(gate.screenInbound(message("a@f.test", LOCAL_USER), "f.test").allowed()).isTrue();
    assertThat(gate.screenInbound(message("a@v.test", LOCAL_USER), "v.test").allowed()).isTrue();
    assertThat(gate.contacts().size()).isZero();
  }

  // --- connections per partner ---

  @Test
  void aPartnerGetsNoMoreStreamsThanItsLimitAndAReleasedOneFreesASlot() {
    FederationGate gate =
        gate(
            FederationPolicy.builder(DEFAULTS)
                .partner(DEFAULTS.toBuilder().domains("p.test", "q.test").maxConnections(2).build())
                .build());
    PolicyDecision p = gate.admit("p.test");
    PolicyDecision q = gate.admit("q.test");

    Optional<ConnectionPermit> first = gate.connect(p);
    Optional<ConnectionPermit> second = gate.connect(q);
    Optional<ConnectionPermit> third = gate.connect(p);

    assertThat(first).isPresent();
    assertThat(second).as("extra domains count for the same partner").isPresent();
    assertThat(third).isEmpty();
    PolicyDecision refusal = gate.overConnectionLimit(p);
    assertThat(refusal.reason()).isEqualTo(Reason.CONNECTION_LIMIT);
    assertThat(refusal.text()).contains("p.test has 2 connection(s) already");

    first.get().release();
    first.get().release();
    assertThat(gate.connections("p.test")).isEqualTo(1);
    assertThat(gate.connect(p)).isPresent();
  }

  @Test
  void theDefaultLimitIsTwentyConnectionsPerPartner() {
    FederationGate gate = gate(FederationPolicy.builder(DEFAULTS).partners("p.test").build());
    PolicyDecision p = gate.admit("p.test");

    for (int i = 0; i < 20; i++) {
      assertThat(gate.connect(p)).isPresent();
    }
    assertThat(gate.connect(p)).isEmpty();
  }

  // --- discovered federation's limits ---

  @Test
  void newDiscoveredDomainsBeyondThePerMinuteLimitAreRefusedUntilTheMinuteHasPassed() {
    FederationGate gate =
        gate(
            FederationPolicy.builder(DEFAULTS)
                .discovery(new Discovery(true, DEFAULTS, 2, 20, 100))
                .build());

    assertThat(gate.admit("one.test").allowed()).isTrue();
    assertThat(gate.admit("two.test").allowed()).isTrue();
    PolicyDecision third = gate.admit("three.test");
    assertThat(gate.admit("one.test").allowed()).as("a known domain is not new").isTrue();

    assertThat(third.reason()).isEqualTo(Reason.DISCOVERY_RATE);
    assertThat(third.text()).contains("new-domains-per-minute (2)");
    clock.advance(Duration.ofSeconds(30));
    assertThat(gate.admit("three.test").allowed()).isTrue();
  }

  @Test
  void aDiscoveredDomainSendingFasterThanItsRateIsRefusedUntilTheBucketRefills() {
    FederationGate gate =
        gate(
            FederationPolicy.builder(DEFAULTS)
                .discovery(new Discovery(true, DEFAULTS, 10, 3, 100))
                .build());
    gate.admit("d.test");

    List<Reason> reasons = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      reasons.add(gate.screenInbound(message("a@d.test", LOCAL_USER), "d.test").reason());
    }

    assertThat(reasons)
        .containsExactly(
            Reason.DISCOVERED, Reason.DISCOVERED, Reason.DISCOVERED, Reason.STANZA_RATE);
    clock.advance(Duration.ofMillis(400));
    assertThat(gate.screenInbound(message("a@d.test", LOCAL_USER), "d.test").allowed()).isTrue();
  }

  @Test
  void listedPartnersHaveNoStanzaRate() {
    FederationGate gate =
        gate(
            FederationPolicy.builder(DEFAULTS)
                .partners("p.test")
                .discovery(new Discovery(true, DEFAULTS, 10, 1, 100))
                .build());

    for (int i = 0; i < 50; i++) {
      assertThat(gate.screenInbound(message("a@p.test", LOCAL_USER), "p.test").allowed()).isTrue();
    }
  }

  // --- reload ---

  @Test
  void anInstalledPolicyDecidesFromTheNextQuestionOnAndListenersHearOfIt() {
    FederationGate gate = gate(FederationPolicy.builder(DEFAULTS).partners("p.test").build());
    List<FederationPolicy> heard = new ArrayList<>();
    gate.onInstall(heard::add);
    FederationPolicy next = FederationPolicy.builder(DEFAULTS).block("p.test").build();

    gate.install(next);

    assertThat(gate.admit("p.test").reason()).isEqualTo(Reason.BLOCKED);
    assertThat(gate.screenInbound(message("a@p.test", LOCAL_USER), "p.test").reason())
        .isEqualTo(Reason.BLOCKED);
    assertThat(heard).containsExactly(next);
  }

  private static Element message(String from, String to) {
    Element message = DocumentHelper.createElement(QName.get("message", "jabber:server"));
    message.addAttribute("from", from);
    message.addAttribute("to", to);
    message.addAttribute("type", "chat");
    return message;
  }

  private static Element presence(String from, String to, String type) {
    Element presence = DocumentHelper.createElement(QName.get("presence", "jabber:server"));
    presence.addAttribute("from", from);
    presence.addAttribute("to", to);
    if (type != null) {
      presence.addAttribute("type", type);
    }
    return presence;
  }
}
