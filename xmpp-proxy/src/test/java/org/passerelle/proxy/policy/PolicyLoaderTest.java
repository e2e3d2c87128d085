package org.passerelle.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.model.config.ConfigException;
import org.passerelle.proxy.config.ProxyConfig;
import org.passerelle.proxy.config.ProxyConfigLoader;
import org.passerelle.testpeers.IssuedCertificate;
import org.passerelle.testpeers.TestCa;

/**
 * The {@code federation:} section: defaults, and every invalid value or combination refused at load
 * with the key named and the reason given.
 */
class PolicyLoaderTest {
  @TempDir Path dir;

  @BeforeEach
  void certificate() throws Exception {
    IssuedCertificate cert = TestCa.selfSigned(dir.resolve("certs"), "a.test");
    Files.copy(cert.certificatePem(), dir.resolve("a.crt"));
    Files.copy(cert.privateKeyPem(), dir.resolve("a.key"));
  }

  // --- defaults ---

  @Test
  void withoutAFederationSectionNoDomainIsAllowed() {
    FederationPolicy policy = load("").federation();

    assertThat(policy.partners()).isEmpty();
    assertThat(policy.blocked()).isEmpty();
    assertThat(policy.discovery().enabled()).isFalse();
    assertThat(policy.decide("anyone.test").allowed()).isFalse();
    assertThat(policy.reloadCheck()).isEqualTo(Duration.ofSeconds(5));
    assertThat(policy.contacts()).isEqualTo(ContactLimits.DEFAULTS);
  }

  @Test
  void aPartnerWithNoSettingsGetsTheDefaults() {
    PartnerPolicy partner =
        load("federation: {partners: {p.test: {}}}\n").federation().decide("p.test").partner();

    assertThat(partner.domains()).containsExactly("p.test");
    assertThat(partner.tier()).isEqualTo(TrustTier.FEDERATED);
    assertThat(partner.tlsRequired()).isTrue();
    assertThat(partner.saslExternal()).isEqualTo(SaslExternal.OPTIONAL);
    assertThat(partner.dialback()).isTrue();
    assertThat(partner.address()).isEmpty();
    assertThat(partner.keepalive()).isTrue();
    assertThat(partner.maxConnections()).isEqualTo(20);
  }

  @Test
  void partnerDefaultsFollowTlsRequiredAndDialbackEnabled() {
    ProxyConfig config =
        load(
            "tls: {required: false}\ndialback: {enabled: true}\n"
                + "federation: {partners: {p.test: {}}}\n");

    assertThat(config.federation().decide("p.test").partner().tlsRequired()).isFalse();
    assertThat(config.federation().defaults().tlsRequired()).isFalse();
  }

  @Test
  void discoveredDomainsAreUnverifiedByDefault() {
    Discovery discovery =
        load("federation: {discovered: {enabled: true}}\n").federation().discovery();

    assertThat(discovery.enabled()).isTrue();
    assertThat(discovery.settings().tier()).isEqualTo(TrustTier.PUBLIC_UNVERIFIED);
    assertThat(discovery.newDomainsPerMinute()).isEqualTo(10);
    assertThat(discovery.stanzasPerSecond()).isEqualTo(20);
    assertThat(discovery.maxDomains()).isEqualTo(1000);
  }

  @Test
  void everyPartnerKeyIsRead() {
    PartnerPolicy partner =
        load("""
                federation:
                  partners:
                    P.Test:
                      domains: [chat.p.test]
                      tier: public-verified
                      tls: required
                      sasl-external: required
                      dialback: false
                      address: 127.0.0.1:5270
                      keepalive: false
                      max-connections: 3
                """)
            .federation()
            .decide("chat.p.test")
            .partner();

    assertThat(partner.domains()).containsExactly("p.test", "chat.p.test");
    assertThat(partner.tier()).isEqualTo(TrustTier.PUBLIC_VERIFIED);
    assertThat(partner.saslExternal()).isEqualTo(SaslExternal.REQUIRED);
    assertThat(partner.dialback()).isFalse();
    assertThat(partner.address().orElseThrow().getPort()).isEqualTo(5270);
    assertThat(partner.keepalive()).isFalse();
    assertThat(partner.maxConnections()).isEqualTo(3);
  }

  @Test
  void aBareOffForSaslExternalMeansOff() {
    // YAML 1.1 reads a bare 'off' as false.
    PartnerPolicy partner =
        load("federation: {partners: {p.test: {sasl-external: off}}}\n")
            .federation()
            .decide("p.test")
            .partner();

    assertThat(partner.saslExternal()).isEqualTo(SaslExternal.OFF);
  }

  // --- invalid combinations ---

  @Test
  void saslExternalRequiredWithTlsOptionalIsRefused() {
    assertRefused(
        "federation: {partners: {p.test: {tls: optional, sasl-external: required}}}\n",
        "federation.partners.p.test.sasl-external is required but tls is optional",
        "only a TLS stream carries");
  }

  @Test
  void saslExternalOffWithDialbackOffIsRefused() {
    assertRefused(
        "federation: {partners: {p.test: {sasl-external: off, dialback: false}}}\n",
        "federation.partners.p.test.sasl-external is off and dialback is false",
        "nothing could authenticate");
  }

  @Test
  void tlsOptionalWithDialbackOffIsRefused() {
    assertRefused(
        "federation: {partners: {p.test: {tls: optional, dialback: false}}}\n",
        "federation.partners.p.test.tls is optional and dialback is false",
        "could not authenticate");
  }

  @Test
  void theSameRulesApplyToDiscoveredDomains() {
    assertRefused(
        "federation: {discovered: {enabled: true, tls: optional, sasl-external: required}}\n",
        "federation.discovered.sasl-external is required but tls is optional");
  }

  @Test
  void aDomainListedUnderTwoPartnersIsRefused() {
    assertRefused(
        "federation: {partners: {p.test: {domains: [x.test]}, q.test: {domains: [x.test]}}}\n",
        "federation.partners: x.test is listed under both p.test and q.test");
  }

  @Test
  void aPartnerListingADomainTwiceIsRefused() {
    assertRefused(
        "federation: {partners: {p.test: {domains: [p.test]}}}\n",
        "federation.partners.p.test.domains lists a domain twice");
  }

  @Test
  void oneOfOurOwnDomainsCannotBeAPartner() {
    assertRefused(
        "federation: {partners: {p.test: {domains: [a.test]}}}\n",
        "federation.partners.p.test: a.test is one of our domains");
  }

  @Test
  void oneOfOurOwnDomainsCannotBeBlocked() {
    assertRefused("federation: {blocked: [a.test]}\n", "federation.blocked: a.test is one of ours");
  }

  @Test
  void aStaticRouteToADomainThatCannotFederateIsRefusedWithAHint() {
    assertRefused(
        "static-routes: {p.test: 127.0.0.1}\n",
        "static-routes.p.test: p.test is not a federation partner",
        "list it under federation.partners (with address:) instead");
  }

  @Test
  void aStaticRouteAndAPartnerAddressForTheSameDomainAreRefused() {
    assertRefused(
        "static-routes: {p.test: 127.0.0.1}\n"
            + "federation: {partners: {p.test: {address: 127.0.0.1}}}\n",
        "static-routes.p.test: federation.partners.p.test.address is set too");
  }

  @Test
  void aStaticRouteToAPartnerStillWorks() {
    ProxyConfig config =
        load("static-routes: {p.test: 127.0.0.1}\nfederation: {partners: {p.test: {}}}\n");

    assertThat(config.staticRoutes()).containsKey("p.test");
  }

  // --- bad values ---

  @Test
  void anUnknownTierIsRefusedWithTheChoices() {
    assertRefused(
        "federation: {partners: {p.test: {tier: trusted}}}\n",
        "federation.partners.p.test.tier must be federated, public-verified or public-unverified,"
            + " was 'trusted'");
  }

  @Test
  void anUnknownTlsValueIsRefusedWithTheChoices() {
    assertRefused(
        "federation: {partners: {p.test: {tls: always}}}\n",
        "federation.partners.p.test.tls must be required or optional, was 'always'");
  }

  @Test
  void anUnknownSaslValueIsRefusedWithTheChoices() {
    assertRefused(
        "federation: {partners: {p.test: {sasl-external: maybe}}}\n",
        "federation.partners.p.test.sasl-external must be required, optional or off");
  }

  @Test
  void maxConnectionsOutOfBoundsIsRefused() {
    assertRefused(
        "federation: {partners: {p.test: {max-connections: 0}}}\n",
        "federation.partners.p.test.max-connections must be between 1 and 1000, was 0");
  }

  @Test
  void anUnknownPartnerKeyIsRefusedByName() {
    assertRefused(
        "federation: {partners: {p.test: {dailback: true}}}\n",
        "federation.partners.p.test.dailback: unknown key");
  }

  @Test
  void anUnknownFederationKeyIsRefusedByName() {
    assertRefused("federation: {alowed: [p.test]}\n", "federation.alowed: unknown key");
  }

  @Test
  void aPartnerThatIsNotAMappingIsRefused() {
    assertRefused(
        "federation: {partners: {p.test: yes}}\n",
        "federation.partners.p.test must be a mapping of keys");
  }

  @Test
  void anInvalidPartnerDomainIsRefused() {
    assertRefused(
        "federation: {partners: {'bad domain!': {}}}\n",
        "federation.partners 'bad domain!' is not a valid domain name");
  }

  @Test
  void aWildcardAnywhereButFirstIsRefused() {
    assertRefused("federation: {blocked: ['spam.*.test']}\n", "federation.blocked", "spam.*.test");
  }

  @Test
  void anUnresolvableAddressIsRefused() {
    assertRefused(
        "federation: {partners: {p.test: {address: 'no-such-host.invalid:5269'}}}\n",
        "federation.partners.p.test.address host 'no-such-host.invalid' cannot be resolved");
  }

  @Test
  void zeroNewDiscoveredDomainsPerMinuteIsRefused() {
    assertRefused(
        "federation: {discovered: {new-domains-per-minute: 0}}\n",
        "federation.discovered.new-domains-per-minute must be between 1 and 100000, was 0");
  }

  @Test
  void aBadContactExpiryIsRefused() {
    assertRefused(
        "federation: {contacts: {expiry: forever}}\n",
        "federation.contacts.expiry must be a duration");
  }

  @Test
  void aBadExpiryWarningIsRefused() {
    assertRefused("tls: {expiry-warning: soon}\n", "tls.expiry-warning must be a duration");
  }

  private void assertRefused(String yaml, String... messageParts) {
    org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> refusal =
        assertThatThrownBy(() -> load(yaml)).isInstanceOf(ConfigException.class);
    for (String part : messageParts) {
      refusal.hasMessageContaining(part);
    }
  }

  /** A configuration with our certificate; {@code extra} may add or override top-level keys. */
  private ProxyConfig load(String extra) {
    String tls = "tls: {certificate: a.crt, key: a.key}\n";
    String yaml = "domains: [a.test]\n" + (extra.startsWith("tls:") ? "" : tls) + extra;
    if (extra.startsWith("tls: {")) {
      yaml = yaml.replace("tls: {", "tls: {certificate: a.crt, key: a.key, ");
    }
    return ProxyConfigLoader.parse(yaml, dir);
  }
}
