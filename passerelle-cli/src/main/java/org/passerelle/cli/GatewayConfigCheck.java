package org.passerelle.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.passerelle.gateway.config.GatewayConfig;
import org.passerelle.gateway.config.GatewayConfigLoader;
import org.passerelle.gateway.sip.SipSettings;
import org.passerelle.gateway.sip.SipTlsSettings;
import org.passerelle.model.config.ConfigException;
import org.passerelle.model.config.Environment;
import org.passerelle.proxy.pki.CertificateExpiry;
import org.passerelle.stream.pki.KeyMaterial;
import org.passerelle.stream.pki.TrustAnchors;

/**
 * Everything the gateway checks before it opens a port or its store, without doing either: the file
 * (every key, {@code {file:}}/{@code {env:}} values included), the link's and SIP's key material
 * and trust files, the certificates' dates; then a summary of what it would do. Reaching the proxy,
 * the SIP server and a PostgreSQL store is a run-time matter.
 */
final class GatewayConfigCheck {
  /** Certificates closer than this to their end get a warning, as the proxy's default. */
  private static final Duration EXPIRY_WARNING = Duration.ofDays(30);

  private GatewayConfigCheck() {}

  /**
   * @throws ConfigException naming the key that is wrong
   */
  static ConfigReport check(Path file, Environment environment, Clock clock) {
    GatewayConfig config = GatewayConfigLoader.load(file, environment);
    List<String> warnings = new ArrayList<>();
    Optional<X509Certificate> link = linkCertificate(config.link(), clock, warnings);
    Optional<X509Certificate> sip = sipCertificate(config.sip(), clock, warnings);
    return new ConfigReport(ConfigKind.GATEWAY, () -> summary(config, link, sip), warnings);
  }

  /** The link's certificate, once its key material and trust files are checked. */
  private static Optional<X509Certificate> linkCertificate(
      GatewayConfig.Link link, Clock clock, List<String> warnings) {
    if (!link.tls()) {
      return Optional.empty();
    }
    X509Certificate certificate =
        keys("link.certificate/link.key", link.certificate(), link.key(), clock, warnings);
    trust("link.trust", link.trust());
    return Optional.of(certificate);
  }

  /**
   * SIP's certificate when it is read from PEM files, once its key material and trust are checked.
   */
  private static Optional<X509Certificate> sipCertificate(
      SipSettings sip, Clock clock, List<String> warnings) {
    if (sip.tls().isEmpty()) {
      return Optional.empty();
    }
    SipTlsSettings tls = sip.tls().get();
    Optional<X509Certificate> certificate = Optional.empty();
    if (tls.keyFormat() == SipTlsSettings.KeyFormat.PEM) {
      certificate =
          Optional.of(
              keys(
                  "sip.tls.certificate/sip.tls.key",
                  tls.certificateFile(),
                  tls.keyFile(),
                  clock,
                  warnings));
    }
    trust("sip.tls.trust", List.of(tls.trustFile()));
    return certificate;
  }

  private static String summary(
      GatewayConfig config,
      Optional<X509Certificate> linkCertificate,
      Optional<X509Certificate> sipCertificate) {
    GatewayConfig.Link link = config.link();
    SipSettings sip = config.sip();
    String linkTls =
        linkCertificate
            .map(c -> "over TLS with certificate " + Summaries.certificate(c))
            .orElse("without TLS (only for an XMPP server's component port on this host)");
    String sipTls =
        sipCertificate.map(c -> ", TLS certificate " + Summaries.certificate(c)).orElse("");
    return "Serves "
        + String.join(", ", config.domains().stream().sorted().toList())
        + "; links to the proxy at "
        + Summaries.address(link.server())
        + " "
        + linkTls
        + ", acknowledgements "
        + (link.acknowledgements() ? "on" : "off")
        + "; SIP on "
        + sip.bindAddress().getHostAddress()
        + " ("
        + sip.ports().entrySet().stream()
            .map(e -> e.getKey().name() + " " + e.getValue())
            .collect(Collectors.joining(", "))
        + ")"
        + sipTls
        + sip.outboundProxy().map(p -> ", outbound proxy " + p).orElse(", no outbound proxy")
        + "; subscription store "
        + store(config)
        + "; presence subscriptions last "
        + config.presence().lifetime().toString().substring(2).toLowerCase(Locale.ROOT)
        + "; "
        + Summaries.operations(config.admin(), config.shutdown(), config.dataDir());
  }

  private static String store(GatewayConfig config) {
    return config.store().redactedUrl() + " (" + config.store().poolSize() + " connection(s))";
  }

  private static X509Certificate keys(
      String key, Path certificate, Path privateKey, Clock clock, List<String> warnings) {
    KeyMaterial keys;
    try {
      keys = KeyMaterial.fromPem(certificate, privateKey);
    } catch (IOException e) {
      throw new ConfigException(key + ": " + e.getMessage(), e);
    }
    for (CertificateExpiry.Finding finding :
        CertificateExpiry.check(key, keys.certificateChain(), clock.instant(), EXPIRY_WARNING)) {
      if (finding.state() == CertificateExpiry.State.EXPIRED) {
        throw new ConfigException(finding.message() + ": the other end would refuse it");
      }
      warnings.add(finding.message());
    }
    return keys.certificate();
  }

  private static void trust(String key, List<Path> files) {
    try {
      TrustAnchors.fromPemFiles(files);
    } catch (IOException e) {
      throw new ConfigException(key + ": " + e.getMessage(), e);
    }
  }
}
