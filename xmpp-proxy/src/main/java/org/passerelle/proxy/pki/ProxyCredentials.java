package org.passerelle.proxy.pki;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.passerelle.model.config.ConfigException;
import org.passerelle.proxy.config.ProxyConfig;
import org.passerelle.stream.pki.KeyMaterial;
import org.passerelle.stream.pki.PeerCertificateVerifier;
import org.passerelle.stream.pki.TrustAnchors;

/**
 * The proxy's key material and trust anchors, read from its {@code tls} section and checked as the
 * proxy checks them at start: keys that load and match, trust files that parse, our certificate not
 * expired. The proxy reads them so at start; {@code passerelle check-config} and {@code diagnose}
 * read them the same way without opening a port.
 *
 * @param keys our certificate chain and private key
 * @param trust the anchors peer certificates are validated against
 * @param configuredAnchors whether {@code trust} came from {@code tls.trust} (else the JDK's)
 * @param expiryWarning how long before expiry a certificate needs attention
 */
public record ProxyCredentials(
    KeyMaterial keys, TrustAnchors trust, boolean configuredAnchors, Duration expiryWarning) {
  public ProxyCredentials {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(trust, "trust");
    Objects.requireNonNull(expiryWarning, "expiryWarning");
  }

  /**
   * Loads and checks the {@code tls} section's files.
   *
   * @throws ConfigException naming the key whose file cannot be used, or our expired certificate
   */
  public static ProxyCredentials load(ProxyConfig.Tls tls, Clock clock) {
    KeyMaterial keys;
    try {
      keys =
          tls.pkcs12() != null
              ? KeyMaterial.fromKeyStore(tls.pkcs12(), tls.pkcs12PasswordChars())
              : KeyMaterial.fromPem(tls.certificate(), tls.key());
    } catch (IOException e) {
      String key = tls.pkcs12() != null ? "tls.pkcs12" : "tls.certificate/tls.key";
      throw new ConfigException(key + ": " + e.getMessage(), e);
    }
    TrustAnchors trust;
    try {
      trust = TrustAnchors.load(tls.trust(), Optional.empty(), new char[0]);
    } catch (IOException e) {
      throw new ConfigException("tls.trust: " + e.getMessage(), e);
    }
    ProxyCredentials credentials =
        new ProxyCredentials(keys, trust, !tls.trust().isEmpty(), tls.expiryWarning());
    Optional<String> unusable = credentials.expiryWatch(clock).ownCertificateProblem();
    if (unusable.isPresent()) {
      throw new ConfigException(unusable.get());
    }
    return credentials;
  }

  /** What the proxy would warn about at {@code now}: certificates near or past their expiry. */
  public List<CertificateExpiry.Finding> expiryFindings(Instant now) {
    List<CertificateExpiry.Finding> findings = new ArrayList<>();
    findings.addAll(
        CertificateExpiry.check(ExpiryWatch.OWN, keys.certificateChain(), now, expiryWarning));
    if (configuredAnchors) {
      findings.addAll(
          CertificateExpiry.check(ExpiryWatch.ANCHOR, trust.certificates(), now, expiryWarning));
    }
    return List.copyOf(findings);
  }

  /** The expiry watch the proxy runs with these credentials. */
  public ExpiryWatch expiryWatch(Clock clock) {
    return new ExpiryWatch(
        keys.certificateChain(),
        configuredAnchors ? trust.certificates() : List.of(),
        expiryWarning,
        clock);
  }

  /** Decides whether a peer's certificate authenticates a domain, with these anchors. */
  public PeerCertificateVerifier verifier() {
    return new PeerCertificateVerifier(trust);
  }
}
