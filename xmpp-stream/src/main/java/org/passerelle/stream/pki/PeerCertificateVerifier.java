package org.passerelle.stream.pki;

import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.passerelle.stream.pki.VerificationResult.Status;

/**
 * Decides, after the TLS handshake, whether a peer's certificate chain authenticates it for a
 * domain (RFC 6120 §13.7.2): PKIX path validation against the configured {@link TrustAnchors} (RFC
 * 5280 §6; chain, signatures and validity dates, but no revocation checking), then the identity
 * check of {@link CertificateIdentity} against the reference domain, which is the {@code to} we
 * sent as initiator, or the {@code from} of the peer's stream header as receiver (RFC 6120
 * §13.7.2.1).
 *
 * <p>COMPAT: extended key usage is not checked. Server certificates (e.g. from Let's Encrypt) are
 * increasingly issued for serverAuth only, yet XMPP servers present them as TLS clients too.
 *
 * <p>Thread-safe and immutable.
 */
public final class PeerCertificateVerifier {

  private final TrustAnchors trustAnchors;
  private final Clock clock;

  /** Validates against {@code trustAnchors} at the current time. */
  public PeerCertificateVerifier(TrustAnchors trustAnchors) {
    this(trustAnchors, Clock.systemUTC());
  }

  /** Validates against {@code trustAnchors} at the time {@code clock} tells. */
  public PeerCertificateVerifier(TrustAnchors trustAnchors, Clock clock) {
    this.trustAnchors = Objects.requireNonNull(trustAnchors, "trustAnchors");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Verifies a peer's chain for {@code domain}.
   *
   * @param chain the peer's certificates, its own first and each followed by its issuer, as TLS
   *     sends them and {@link PeerCertificates} returns them; may be empty
   * @param domain the reference identity: the XMPP domain the peer claims or we expect
   */
  public VerificationResult verify(List<X509Certificate> chain, String domain) {
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(domain, "domain");
    if (chain.isEmpty()) {
      return new VerificationResult(
          Status.NO_CERTIFICATE, "the peer presented no certificate", List.of());
    }
    X509Certificate peer = chain.get(0);
    List<PresentedIdentity> identities = CertificateIdentity.presentedIdentities(peer);
    Optional<VerificationResult> pathFailure = validatePath(chain, identities);
    if (pathFailure.isPresent()) {
      return pathFailure.get();
    }
    if (!CertificateIdentity.matches(identities, domain)) {
      String presented =
          identities.isEmpty()
              ? "no DNS-ID, SRV-ID or XmppAddr (the subject CN is not used, RFC 9525)"
              : "only " + identities;
      return new VerificationResult(
          Status.NAME_MISMATCH,
          "certificate "
              + peer.getSubjectX500Principal()
              + " names "
              + presented
              + ", not "
              + domain,
          identities);
    }
    return new VerificationResult(
        Status.VALID,
        "certificate " + peer.getSubjectX500Principal() + " is trusted and valid for " + domain,
        identities);
  }

  private Optional<VerificationResult> validatePath(
      List<X509Certificate> chain, List<PresentedIdentity> identities) {
    Date now = Date.from(clock.instant());
    X509Certificate peer = chain.get(0);
    if (trustAnchors.contains(peer)) {
      // The peer's own certificate is configured as an anchor (a pinned self-signed certificate):
      // there is no path to validate, only its validity dates.
      return checkValidity(peer, now, identities);
    }
    // An anchor sent along by the peer is not part of the path (CertPathValidator contract).
    List<X509Certificate> path = new ArrayList<>(chain);
    while (trustAnchors.contains(path.get(path.size() - 1))) {
      path.remove(path.size() - 1);
    }
    try {
      CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
      PKIXParameters parameters = new PKIXParameters(trustAnchors.anchors());
      // [design] Revocation is not checked: fetching OCSP responses or CRLs would block.
      parameters.setRevocationEnabled(false);
      parameters.setDate(now);
      CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
      return Optional.empty();
    } catch (CertPathValidatorException e) {
      return Optional.of(pathFailure(e, path, identities));
    } catch (GeneralSecurityException e) {
      return Optional.of(
          new VerificationResult(
              Status.UNTRUSTED,
              "certificate chain cannot be validated: " + e.getMessage(),
              identities));
    }
  }

  private static VerificationResult pathFailure(
      CertPathValidatorException e,
      List<X509Certificate> path,
      List<PresentedIdentity> identities) {
    int index = e.getIndex();
    Optional<X509Certificate> culprit =
        index >= 0 && index < path.size() ? Optional.of(path.get(index)) : Optional.empty();
    String subject =
        culprit.map(c -> "certificate " + c.getSubjectX500Principal()).orElse("a certificate");
    if (e.getReason() == BasicReason.EXPIRED) {
      String date = culprit.map(c -> " on " + notAfter(c)).orElse("");
      return new VerificationResult(Status.EXPIRED, subject + " expired" + date, identities);
    }
    if (e.getReason() == BasicReason.NOT_YET_VALID) {
      String date = culprit.map(c -> " until " + notBefore(c)).orElse("");
      return new VerificationResult(
          Status.NOT_YET_VALID, subject + " is not valid" + date, identities);
    }
    return new VerificationResult(
        Status.UNTRUSTED, "certificate chain is not trusted: " + e.getMessage(), identities);
  }

  private static Optional<VerificationResult> checkValidity(
      X509Certificate certificate, Date now, List<PresentedIdentity> identities) {
    String subject = "certificate " + certificate.getSubjectX500Principal();
    try {
      certificate.checkValidity(now);
      return Optional.empty();
    } catch (CertificateExpiredException e) {
      return Optional.of(
          new VerificationResult(
              Status.EXPIRED, subject + " expired on " + notAfter(certificate), identities));
    } catch (CertificateNotYetValidException e) {
      return Optional.of(
          new VerificationResult(
              Status.NOT_YET_VALID,
              subject + " is not valid until " + notBefore(certificate),
              identities));
    }
  }

  private static String notAfter(X509Certificate certificate) {
    return certificate.getNotAfter().toInstant().toString();
  }

  private static String notBefore(X509Certificate certificate) {
    return certificate.getNotBefore().toInstant().toString();
  }
}
