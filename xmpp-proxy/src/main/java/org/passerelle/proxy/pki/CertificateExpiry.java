package org.passerelle.proxy.pki;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Which certificates are expired, expiring within a warning window, or not valid yet (RFC 5280
 * §4.1.2.5). Pure: the caller says what time it is.
 */
public final class CertificateExpiry {
  private CertificateExpiry() {}

  /** What is wrong with a certificate's validity period, if anything. */
  public enum State {
    /** Past its notAfter: peers refuse it (or refuse chains that lead to it). */
    EXPIRED,
    /** Within the warning window of its notAfter. */
    EXPIRING,
    /** Before its notBefore: usually a clock that is wrong here or at the issuer. */
    NOT_YET_VALID
  }

  /**
   * One certificate that needs attention.
   *
   * @param role what it is to us, with the key that configures it, e.g. "our certificate
   *     (tls.certificate)"
   * @param certificate the certificate
   * @param state what is wrong
   * @param left time until notAfter (negative once expired)
   */
  public record Finding(String role, X509Certificate certificate, State state, Duration left) {
    public Finding {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(certificate, "certificate");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(left, "left");
    }

    /** A sentence for the log. */
    public String message() {
      String subject = role + " " + certificate.getSubjectX500Principal();
      Instant notAfter = certificate.getNotAfter().toInstant();
      return switch (state) {
        case EXPIRED -> subject + " expired on " + notAfter;
        case EXPIRING -> subject + " expires on " + notAfter + ", in " + days(left) + " day(s)";
        case NOT_YET_VALID ->
            subject + " is not valid until " + certificate.getNotBefore().toInstant();
      };
    }

    private static long days(Duration duration) {
      return Math.max(0, duration.toDays());
    }
  }

  /** The certificates among {@code certificates} that need attention at {@code now}. */
  public static List<Finding> check(
      String role, Collection<X509Certificate> certificates, Instant now, Duration window) {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(window, "window");
    List<Finding> findings = new ArrayList<>();
    for (X509Certificate certificate : certificates) {
      Instant notAfter = certificate.getNotAfter().toInstant();
      Duration left = Duration.between(now, notAfter);
      if (!now.isBefore(notAfter)) {
        findings.add(new Finding(role, certificate, State.EXPIRED, left));
      } else if (now.isBefore(certificate.getNotBefore().toInstant())) {
        findings.add(new Finding(role, certificate, State.NOT_YET_VALID, left));
      } else if (left.compareTo(window) <= 0) {
        findings.add(new Finding(role, certificate, State.EXPIRING, left));
      }
    }
    return List.copyOf(findings);
  }
}
