package org.passerelle.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.passerelle.model.errors.StanzaCondition;
import org.passerelle.proxy.policy.PolicyDecision.Reason;
import org.passerelle.stream.StreamErrorCondition;

/** The order of the rules: block-list, then partners, then discovered federation, else refused. */
class FederationPolicyTest {
  private static final PartnerPolicy DEFAULTS = PartnerPolicy.builder().build();

  @Test
  void aListedPartnerIsAllowedWithItsSettings() {
    PartnerPolicy partner = DEFAULTS.toBuilder().domains("p.test").keepalive(false).build();
    FederationPolicy policy = FederationPolicy.builder(DEFAULTS).partner(partner).build();

    PolicyDecision decision = policy.decide("p.test");

    assertThat(decision.allowed()).isTrue();
    assertThat(decision.reason()).isEqualTo(Reason.PARTNER);
    assertThat(decision.partner()).isSameAs(partner);
  }

  @Test
  void blockedWinsOverAllowed() {
    FederationPolicy policy =
        FederationPolicy.builder(DEFAULTS)
            .partners("p.test")
            .block("p.test")
            .discovery(Discovery.on(DEFAULTS))
            .build();

    PolicyDecision decision = policy.decide("p.test");

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reason()).isEqualTo(Reason.BLOCKED);
    assertThat(decision.text()).contains("federation.blocked");
  }

  @Test
  void aBlockedDomainIsAnsweredPolicyViolationOnStreamsAndNotAllowedOnStanzas() {
    // RFC 6120 §4.9.3.12 and §8.3.3.10 ("sending to entities at a blacklisted domain").
    assertThat(Reason.BLOCKED.streamError()).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
    assertThat(Reason.BLOCKED.stanzaError()).isEqualTo(StanzaCondition.NOT_ALLOWED);
  }

  @Test
  void aWildcardBlocksEverySubdomainButNotTheParent() {
    FederationPolicy policy =
        FederationPolicy.builder(DEFAULTS)
            .block("*.spam.test")
            .discovery(Discovery.on(DEFAULTS))
            .build();

    assertThat(policy.decide("a.spam.test").reason()).isEqualTo(Reason.BLOCKED);
    assertThat(policy.decide("a.b.spam.test").reason()).isEqualTo(Reason.BLOCKED);
    assertThat(policy.decide("spam.test").allowed()).isTrue();
    assertThat(policy.decide("notspam.test").allowed()).isTrue();
  }

  @Test
  void withDiscoveryOffAnUnlistedDomainIsRefused() {
    FederationPolicy policy = FederationPolicy.builder(DEFAULTS).partners("p.test").build();

    PolicyDecision decision = policy.decide("other.test");

    assertThat(decision.reason()).isEqualTo(Reason.NOT_A_PARTNER);
    assertThat(decision.reason().stanzaError()).isEqualTo(StanzaCondition.NOT_ALLOWED);
    assertThat(decision.text()).contains("discovered federation is off");
  }

  @Test
  void withDiscoveryOnAnUnlistedDomainFederatesWithTheDiscoveredSettings() {
    PartnerPolicy discovered = DEFAULTS.toBuilder().tier(TrustTier.PUBLIC_UNVERIFIED).build();
    FederationPolicy policy =
        FederationPolicy.builder(DEFAULTS).discovery(Discovery.on(discovered)).build();

    PolicyDecision decision = policy.decide("other.test");

    assertThat(decision.reason()).isEqualTo(Reason.DISCOVERED);
    assertThat(decision.partner()).isSameAs(discovered);
    assertThat(decision.connectionKey()).isEqualTo("other.test");
  }

  @Test
  void extraDomainsBelongToTheSamePartnerAndShareItsConnectionCount() {
    PartnerPolicy partner = DEFAULTS.toBuilder().domains("p.test", "chat.p.test").build();
    FederationPolicy policy = FederationPolicy.builder(DEFAULTS).partner(partner).build();

    assertThat(policy.decide("chat.p.test").partner()).isSameAs(partner);
    assertThat(policy.decide("chat.p.test").connectionKey()).isEqualTo("p.test");
  }

  @Test
  void aPartnersAddressServesAllItsDomainsUnlessBlocked() {
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", 5270);
    PartnerPolicy partner =
        DEFAULTS.toBuilder().domains("p.test", "chat.p.test").address(address).build();
    FederationPolicy policy =
        FederationPolicy.builder(DEFAULTS).partner(partner).block("chat.p.test").build();

    assertThat(policy.addressOf("p.test")).contains(address);
    assertThat(policy.addressOf("chat.p.test")).isEmpty();
    assertThat(policy.addressOf("other.test")).isEmpty();
  }

  @Test
  void aPeerThatHasNotNamedItselfGetsTheDefaults() {
    FederationPolicy policy = FederationPolicy.builder(DEFAULTS).partners("p.test").build();

    assertThat(policy.settingsFor(null)).isSameAs(DEFAULTS);
    assertThat(policy.settingsFor("refused.test")).isSameAs(DEFAULTS);
  }

  @Test
  void policiesWithTheSameSettingsAreEqual() {
    FederationPolicy one = FederationPolicy.builder(DEFAULTS).partners("p.test").build();
    FederationPolicy two = FederationPolicy.builder(DEFAULTS).partners("p.test").build();
    FederationPolicy other = FederationPolicy.builder(DEFAULTS).partners("q.test").build();

    assertThat(one).isEqualTo(two).hasSameHashCodeAs(two).isNotEqualTo(other);
  }
}
