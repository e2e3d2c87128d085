package org.passerelle.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.passerelle.model.config.ConfigException;
import org.passerelle.model.config.Environment;
import org.passerelle.proxy.config.ProxyConfig;
import org.passerelle.proxy.config.ProxyConfigLoader;
import org.passerelle.proxy.dialback.DialbackSecret;
import org.passerelle.proxy.pki.CertificateExpiry;
import org.passerelle.proxy.pki.ProxyCredentials;
import org.passerelle.stream.pki.CertificateIdentity;
import org.passerelle.stream.pki.TrustAnchors;

/**
 * Everything the proxy checks before it opens a port, without opening one: the file (every key,
 * {@code {file:}}/{@code {env:}} values included), its key material, trust files, our certificate's
 * dates, the dialback secret; then a summary of what it would do.
 */
final class ProxyConfigCheck {
  private ProxyConfigCheck() {}

  /**
   * @throws ConfigException naming the key that is wrong
   */
  static ConfigReport check(Path file, Environment environment, Clock clock) {
    ProxyConfig config = ProxyConfigLoader.load(file, environment);
    ProxyCredentials credentials = ProxyCredentials.load(config.tls(), clock);
    List<String> warnings = new ArrayList<>();
    for (CertificateExpiry.Finding finding : credentials.expiryFindings(clock.instant())) {
      warnings.add(finding.message());
    }
    X509Certificate ours = credentials.keys().certificate();
    for (String domain : config.domains()) {
      if (!CertificateIdentity.matches(ours, domain)) {
        warnings.add(
            "our certificate does not name "
                + domain
                + ": peers can authenticate it only by dialback (tls.certificate)");
      }
    }
    String dialbackSecret = dialbackSecret(config);
    if (config.link().isPresent()) {
      try {
        TrustAnchors.fromPemFiles(config.link().get().trust());
      } catch (IOException e) {
        throw new ConfigException("link.trust: " + e.getMessage(), e);
      }
    }
    if (config.federation().partners().isEmpty() && !config.federation().discovery().enabled()) {
      warnings.add(
          "no federation partners and discovered federation is off: every remote domain will be"
              + " refused (federation.partners, federation.discovered.enabled)");
    }
    return new ConfigReport(
        ConfigKind.PROXY, () -> summary(config, ours, dialbackSecret), warnings);
  }

  private static String summary(ProxyConfig config, X509Certificate ours, String dialbackSecret) {
    return "Serves "
        + String.join(", ", config.domains().stream().sorted().toList())
        + "; accepts server-to-server streams on "
        + Summaries.address(config.listen())
        + " with certificate "
        + Summaries.certificate(ours)
        + "; trusts "
        + (config.tls().trust().isEmpty()
            ? "the JDK's certificate authorities"
            : config.tls().trust().size() + " CA file(s) from tls.trust")
        + " for peer certificates; TLS "
        + (config.tls().required() ? "required" : "optional")
        + "; dialback "
        + (config.dialback().enabled() ? "allowed, secret " + dialbackSecret : "off")
        + "; federation: "
        + config.federation().summary()
        + "; "
        + config
            .link()
            .map(
                link ->
                    "gateways attach on "
                        + Summaries.address(link.listen())
                        + " (TLS with certificates from "
                        + link.trust().size()
                        + " CA file(s))")
            .orElse("no link for gateways (stanzas for our domains are refused)")
        + "; "
        + Summaries.operations(config.admin(), config.shutdown(), config.dataDir());
  }

  private static String dialbackSecret(ProxyConfig config) {
    Path file = config.dataDir().resolve(DialbackSecret.FILE_NAME);
    if (config.dialback().secret().isPresent()) {
      return "from configuration";
    }
    if (!Files.exists(file)) {
      return "to be generated in " + file + " at first start";
    }
    try {
      return "from "
          + DialbackSecret.existing(config.dialback().secret(), config.dataDir())
              .orElseThrow()
              .source();
    } catch (IOException e) {
      throw new ConfigException("data-dir: " + e.getMessage(), e);
    }
  }
}
