package org.passerelle.proxy.s2s;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Decides whether a peer's certificate chain authenticates a domain (RFC 6120 §13.7.2, RFC 6125):
 * what SASL EXTERNAL and "dialback without dialback" (XEP-0344 §2.4) rely on.
 */
@FunctionalInterface
public interface CertificateChecker {
  Result check(List<X509Certificate> chain, String domain);

  /** The verdict, with a reason worth logging when it is negative. */
  record Result(boolean valid, String reason) {
    public static final Result NO_CERTIFICATE = new Result(false, "no certificate presented");
  }
}
