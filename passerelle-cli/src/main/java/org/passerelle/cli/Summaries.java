package org.passerelle.cli;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.stream.Collectors;
import org.passerelle.model.config.AdminSettings;
import org.passerelle.model.lifecycle.ShutdownSettings;
import org.passerelle.stream.pki.CertificateIdentity;
import org.passerelle.stream.pki.PresentedIdentity;

/** How addresses and certificates are written in check-config's summaries. */
final class Summaries {
  private Summaries() {}

  static String address(InetSocketAddress address) {
    String host =
        address.getAddress() != null
            ? address.getAddress().getHostAddress()
            : address.getHostString();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  /**
   * What both processes' summaries end with: the admin endpoint, the drain on stop and where state
   * is kept.
   */
  static String operations(Optional<AdminSettings> admin, ShutdownSettings shutdown, Path dataDir) {
    return admin(admin) + "; " + shutdown(shutdown) + "; state in " + dataDir + ".";
  }

  private static String admin(Optional<AdminSettings> admin) {
    return admin
        .map(
            a ->
                "metrics, health and status page on http://"
                    + address(a.listen())
                    + (a.isExposed()
                        ? " (reachable from other hosts, without authentication)"
                        : ""))
        .orElse("no admin endpoint (admin)");
  }

  private static String shutdown(ShutdownSettings shutdown) {
    long millis = shutdown.drain().toMillis();
    return "when stopped, drains for at most "
        + (millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms")
        + " (shutdown.drain)";
  }

  static String certificate(X509Certificate certificate) {
    String names =
        CertificateIdentity.presentedIdentities(certificate).stream()
            .map(PresentedIdentity::toString)
            .collect(Collectors.joining(", "));
    return certificate.getSubjectX500Principal().getName()
        + " (names "
        + (names.isEmpty() ? "nothing usable" : names)
        + ", valid until "
        + certificate.getNotAfter().toInstant()
        + ")";
  }
}
