package org.passerelle.proxy.diagnose;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.passerelle.stream.pki.CertificateIdentity;
import org.passerelle.stream.pki.PresentedIdentity;

/**
 * What a certificate says, as a check: subject, the names it presents (RFC 6125 identifiers:
 * DNS-ID, SRV-ID, XmppAddr), issuer and validity, with a warning when its end is near.
 */
final class CertificateFacts {
  private final Clock clock;
  private final Duration warning;

  /**
   * @param warning how close to its expiry a certificate gets a warning (tls.expiry-warning)
   */
  CertificateFacts(Clock clock, Duration warning) {
    this.clock = clock;
    this.warning = warning;
  }

  /**
   * @param whose "its" or "our", for the sentence
   */
  Check describe(String name, List<X509Certificate> chain, String whose) {
    X509Certificate certificate = chain.get(0);
    List<String> names =
        CertificateIdentity.presentedIdentities(certificate).stream()
            .map(PresentedIdentity::toString)
            .toList();
    Instant notAfter = certificate.getNotAfter().toInstant();
    Instant now = clock.instant();
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("subject", certificate.getSubjectX500Principal().getName());
    facts.put("names", names);
    facts.put("issuer", certificate.getIssuerX500Principal().getName());
    facts.put("not-before", certificate.getNotBefore().toInstant().toString());
    facts.put("not-after", notAfter.toString());
    facts.put("chain-length", Integer.toString(chain.size()));
    String summary =
        certificate.getSubjectX500Principal().getName()
            + ", names "
            + (names.isEmpty() ? "nothing usable" : String.join(", ", names))
            + ", issued by "
            + certificate.getIssuerX500Principal().getName();
    if (!now.isBefore(notAfter)) {
      return new Check(name, Status.WARN, whose + " certificate expired on " + notAfter, facts);
    }
    if (now.isBefore(certificate.getNotBefore().toInstant())) {
      return new Check(
          name,
          Status.WARN,
          whose + " certificate is not valid before " + certificate.getNotBefore().toInstant(),
          facts);
    }
    long days = Duration.between(now, notAfter).toDays();
    if (Duration.between(now, notAfter).compareTo(warning) <= 0) {
      return new Check(
          name, Status.WARN, summary + "; expires in " + days + " day(s), on " + notAfter, facts);
    }
    return new Check(name, Status.OK, summary + "; valid until " + notAfter, facts);
  }
}
