package org.passerelle.stream.pki;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of {@link PeerCertificateVerifier#verify}: whether the peer's certificate
 * authenticates it for a domain (RFC 6120 §13.7.2), why not if not, and the identities the
 * certificate presents, for diagnostics.
 *
 * @param status the verdict
 * @param reason a sentence for logs and for an operator, never empty
 * @param identities the identities presented by the peer's end-entity certificate, possibly empty
 */
public record VerificationResult(
    VerificationResult.Status status, String reason, List<PresentedIdentity> identities) {

  /**
   * Verdicts. The first failing check decides: a certificate at all, then the PKIX path (which
   * reports whichever of EXPIRED, NOT_YET_VALID or UNTRUSTED it meets first), then the name.
   */
  public enum Status {
    /** Chain trusted, within its validity period, and it names the domain. */
    VALID,
    /** The peer sent no certificate (for example a client that was asked but declined). */
    NO_CERTIFICATE,
    /** A certificate in the chain is past its notAfter date (RFC 5280 §6.1.3 (a)(2)). */
    EXPIRED,
    /** A certificate in the chain is before its notBefore date (RFC 5280 §6.1.3 (a)(2)). */
    NOT_YET_VALID,
    /**
     * The chain does not lead to a configured trust anchor, or fails another PKIX check (signature,
     * basic constraints, weak algorithm).
     */
    UNTRUSTED,
    /** The chain is trusted but the certificate does not name the domain (RFC 6120 §13.7.2.1). */
    NAME_MISMATCH
  }

  public VerificationResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
    if (reason.isBlank()) {
      throw new IllegalArgumentException("reason must not be blank");
    }
    identities = List.copyOf(identities);
  }

  /** Whether the certificate authenticates the peer for the domain. */
  public boolean isValid() {
    return status == Status.VALID;
  }
}
