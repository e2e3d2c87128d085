package org.passerelle.proxy.diagnose;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.passerelle.proxy.config.ProxyConfig;
import org.passerelle.proxy.dialback.DialbackSecret;
import org.passerelle.proxy.pki.ProxyCredentials;
import org.passerelle.proxy.policy.PartnerPolicy;
import org.passerelle.proxy.policy.PolicyDecision;
import org.passerelle.stream.pki.CertificateIdentity;

/** The checks of our own side: our certificate, our dialback secret, our federation policy. */
final class LocalChecks {
  static final String POLICY = "policy";

  private LocalChecks() {}

  /** Our certificate, which the remote checks when we present it (SASL EXTERNAL, XEP-0344). */
  static Check ourCertificate(
      ProxyCredentials credentials, CertificateFacts certificates, String local, String remote) {
    Check check =
        certificates.describe("our-certificate", credentials.keys().certificateChain(), "our");
    if (!CertificateIdentity.matches(credentials.keys().certificate(), local)) {
      return check.with(
          Status.WARN,
          "our certificate does not name "
              + local
              + ", so "
              + remote
              + " cannot authenticate us by certificate (SASL EXTERNAL), only by dialback");
    }
    return check;
  }

  /**
   * The proxy's dialback secret, read without creating it; a temporary one when it has none yet
   * (only this process checks the keys made from it, so any secret will do).
   */
  static DialbackSecret dialbackSecret(ProxyConfig config, List<Check> checks) {
    try {
      Optional<DialbackSecret> existing =
          DialbackSecret.existing(config.dialback().secret(), config.dataDir());
      if (existing.isPresent()) {
        checks.add(
            Check.of("dialback-secret", Status.OK, "the proxy's, from " + existing.get().source()));
        return existing.get();
      }
      checks.add(
          Check.of(
              "dialback-secret",
              Status.OK,
              "none yet in "
                  + config.dataDir()
                  + " (the proxy makes it at its first start); a temporary one is used"));
    } catch (IOException | IllegalArgumentException e) {
      checks.add(
          Check.of(
              "dialback-secret",
              Status.WARN,
              e.getMessage() + "; a temporary one is used for this diagnosis"));
    }
    return DialbackSecret.temporary();
  }

  /** What the federation policy says about the remote domain, with the settings that apply. */
  static Check policy(PolicyDecision decision) {
    if (!decision.allowed()) {
      return new Check(
          POLICY,
          Status.FAIL,
          decision.text(),
          Map.of("reason", decision.reason().name().toLowerCase(Locale.ROOT)));
    }
    PartnerPolicy partner = decision.partner();
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("reason", decision.reason().name().toLowerCase(Locale.ROOT));
    facts.put("tier", partner.tier().configName());
    facts.put("tls", partner.tlsRequired() ? "required" : "optional");
    facts.put("sasl-external", partner.saslExternal().configName());
    facts.put("dialback", Boolean.toString(partner.dialback()));
    partner.address().ifPresent(a -> facts.put("address", AddressChecks.text(a)));
    facts.put("max-connections", Integer.toString(partner.maxConnections()));
    return new Check(
        POLICY,
        Status.OK,
        decision.text()
            + ": tls "
            + facts.get("tls")
            + ", sasl-external "
            + facts.get("sasl-external")
            + ", dialback "
            + (partner.dialback() ? "allowed" : "not allowed"),
        facts);
  }
}
