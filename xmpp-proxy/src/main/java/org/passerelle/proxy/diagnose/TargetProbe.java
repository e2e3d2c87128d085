package org.passerelle.proxy.diagnose;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.passerelle.proxy.dns.ConnectTarget;
import org.passerelle.proxy.policy.PartnerPolicy;
import org.passerelle.proxy.s2s.AuthMethod;
import org.passerelle.proxy.s2s.OutboundStep;
import org.passerelle.stream.StreamHeader;
import org.passerelle.stream.pki.PeerCertificateVerifier;
import org.passerelle.stream.pki.VerificationResult;

/**
 * Follows one stream the proxy opens to one target and turns each {@link OutboundStep} into checks,
 * in the order of RFC 6120 §4.3: connect, stream header, STARTTLS, TLS, certificate and identity,
 * SASL EXTERNAL, dialback, established. A failure, a stream error, a timeout or the connection
 * closing is charged to the step the stream was waiting for.
 */
final class TargetProbe {
  static final String CONNECT = "connect";
  static final String HEADER = "stream-header";
  static final String STARTTLS = "starttls";
  static final String TLS = "tls";
  static final String CERTIFICATE = "certificate";
  static final String IDENTITY = "identity";
  static final String SASL = "sasl-external";
  static final String DIALBACK = "dialback";
  static final String ESTABLISHED = "established";
  private static final String AUTHENTICATION = "authentication";

  private final String local;
  private final String remote;
  private final ConnectTarget target;
  private final PartnerPolicy partner;
  private final PeerCertificateVerifier verifier;
  private final CertificateFacts certificates;
  private final List<Check> checks = new ArrayList<>();

  private String expecting = CONNECT;
  private boolean headerSeen;
  private boolean secured;
  private boolean saslSucceeded;
  private AuthMethod established;

  TargetProbe(
      String local,
      String remote,
      ConnectTarget target,
      PartnerPolicy partner,
      PeerCertificateVerifier verifier,
      CertificateFacts certificates) {
    this.local = local;
    this.remote = remote;
    this.target = target;
    this.partner = partner;
    this.verifier = verifier;
    this.certificates = certificates;
  }

  /** Takes the next step; returns whether the stream is done (established or gone). */
  boolean accept(OutboundStep step) {
    if (step instanceof OutboundStep.Connected connected) {
      add(CONNECT, Status.OK, "TCP connected from " + AddressChecks.text(connected.localAddress()));
      expecting = target.directTls() ? TLS : HEADER;
    } else if (step instanceof OutboundStep.ConnectFailed failed) {
      failAt(
          CONNECT,
          "cannot connect to "
              + AddressChecks.text(target.address())
              + ": "
              + reason(failed.cause())
              + " (is the server listening there, and may we reach it through firewalls?)");
      return true;
    } else if (step instanceof OutboundStep.HeaderReceived header) {
      onHeader(header.header());
    } else if (step instanceof OutboundStep.FeaturesReceived features) {
      onFeatures(features);
    } else if (step instanceof OutboundStep.TlsEstablished tls) {
      onTls(tls);
    } else if (step instanceof OutboundStep.TlsFailed failed) {
      failAt(TLS, "the TLS handshake failed: " + failed.cause().getMessage());
    } else if (step instanceof OutboundStep.SaslAnswered sasl) {
      onSasl(sasl);
    } else if (step instanceof OutboundStep.DialbackAnswered dialback) {
      onDialback(dialback);
    } else if (step instanceof OutboundStep.Established done) {
      established = done.method();
      add(ESTABLISHED, Status.OK, "authenticated by " + describe(done.method()));
      return true;
    } else if (step instanceof OutboundStep.StreamError error) {
      failAt(
          expecting,
          remote
              + " ended the stream with <"
              + error.condition().elementName()
              + "/>"
              + (error.text().isEmpty() ? "" : ": " + error.text()));
    } else if (step instanceof OutboundStep.Failed failed) {
      failAt(expecting, failed.reason());
    } else if (step instanceof OutboundStep.Closed closed) {
      if (established == null) {
        failAt(expecting, "the connection closed while waiting for " + expecting);
      }
      return true;
    }
    return false;
  }

  /** No step came within {@code limit}. */
  void timedOut(Duration limit) {
    failAt(
        expecting, "no answer within " + limit.toSeconds() + " s while waiting for " + expecting);
  }

  Optional<AuthMethod> established() {
    return Optional.ofNullable(established);
  }

  List<Check> checks() {
    return List.copyOf(checks);
  }

  private void onHeader(StreamHeader header) {
    if (!headerSeen) {
      headerSeen = true;
      Map<String, Object> facts = new LinkedHashMap<>();
      facts.put("id", String.valueOf(header.id()));
      facts.put("from", String.valueOf(header.from()));
      facts.put("version", String.valueOf(header.version()));
      facts.put("dialback-namespace", Boolean.toString(header.dialback()));
      Status status = Status.OK;
      String text = "version " + header.version() + ", stream id " + header.id();
      if (!header.isVersion1()) {
        status = Status.WARN;
        text = "no version 1.0: a pre-1.0 server offers neither STARTTLS nor SASL";
      } else if (header.from() != null && !header.from().equalsIgnoreCase(remote)) {
        status = Status.WARN;
        text =
            "the receiver answers as " + header.from() + ", not " + remote + " (RFC 6120 §4.7.1)";
      }
      checks.add(new Check(HEADER, status, text, facts));
      if (!header.isVersion1()) {
        expecting = DIALBACK;
        return;
      }
    }
    expecting = saslSucceeded ? ESTABLISHED : secured ? AUTHENTICATION : STARTTLS;
  }

  private void onFeatures(OutboundStep.FeaturesReceived features) {
    if (!features.secured()) {
      if (features.startTls()) {
        add(STARTTLS, Status.OK, features.startTlsRequired() ? "offered, as required" : "offered");
        expecting = TLS;
        return;
      }
      if (partner.tlsRequired()) {
        failAt(
            STARTTLS,
            "not offered, and TLS is required for "
                + remote
                + " (tls: required); the server does not do TLS, or something on the way strips"
                + " the offer (RFC 7590 §3.1)");
        return;
      }
      add(STARTTLS, Status.WARN, "not offered: the stream stays unencrypted (tls: optional)");
    }
    if (saslSucceeded) {
      expecting = ESTABLISHED;
      return;
    }
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("mechanisms", features.saslMechanisms());
    facts.put("dialback-feature", Boolean.toString(features.dialback()));
    if (!partner.saslExternalAllowed()) {
      checks.add(new Check(SASL, Status.SKIPPED, "off by policy (sasl-external: off)", facts));
      expecting = DIALBACK;
    } else if (features.offersExternal()) {
      expecting = SASL;
    } else {
      String why =
          features.secured()
              ? remote
                  + " does not accept our certificate as proof of "
                  + local
                  + ": it must trust the CA that issued it, and the certificate must name "
                  + local
              : "it needs TLS";
      checks.add(new Check(SASL, Status.WARN, "not offered: " + why, facts));
      expecting = partner.dialback() ? DIALBACK : AUTHENTICATION;
    }
  }

  private void onTls(OutboundStep.TlsEstablished tls) {
    secured = true;
    add(TLS, Status.OK, tls.protocol() + ", " + tls.cipherSuite());
    List<X509Certificate> chain = tls.peerChain();
    if (chain.isEmpty()) {
      failAt(CERTIFICATE, "the server presented no certificate");
      return;
    }
    checks.add(certificates.describe(CERTIFICATE, chain, "its"));
    VerificationResult identity = verifier.verify(chain, remote);
    Map<String, Object> facts = Map.of("result", identity.status().name().toLowerCase(Locale.ROOT));
    if (identity.isValid()) {
      checks.add(new Check(IDENTITY, Status.OK, identity.reason() + " (RFC 6125)", facts));
    } else if (partner.certificateRequired()) {
      checks.add(
          new Check(
              IDENTITY,
              Status.FAIL,
              identity.reason()
                  + "; "
                  + remote
                  + " must prove its domain (sasl-external: required)",
              facts));
    } else {
      checks.add(
          new Check(
              IDENTITY,
              Status.WARN,
              identity.reason() + "; so only dialback can authenticate " + remote,
              facts));
    }
    expecting = HEADER;
  }

  private void onSasl(OutboundStep.SaslAnswered sasl) {
    if (sasl.success()) {
      saslSucceeded = true;
      add(SASL, Status.OK, "offered, and our certificate was accepted");
      expecting = HEADER;
    } else {
      add(
          SASL,
          partner.dialback() ? Status.WARN : Status.FAIL,
          "offered, but our certificate was refused (" + sasl.condition() + ")");
      expecting = DIALBACK;
    }
  }

  private void onDialback(OutboundStep.DialbackAnswered answer) {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("type", answer.type());
    if (!answer.condition().isEmpty()) {
      facts.put("condition", answer.condition());
    }
    switch (answer.type()) {
      case "valid" -> checks.add(new Check(DIALBACK, Status.OK, "valid", facts));
      case "invalid" -> checks.add(new Check(DIALBACK, Status.FAIL, "invalid", facts));
      default ->
          checks.add(
              new Check(
                  DIALBACK,
                  Status.FAIL,
                  "error" + (answer.condition().isEmpty() ? "" : " <" + answer.condition() + "/>"),
                  facts));
    }
    expecting = ESTABLISHED;
  }

  private void add(String name, Status status, String text) {
    checks.add(Check.of(name, status, text));
  }

  /**
   * A failure at {@code step}; after the first, later ones (the same failure as the stream handler
   * words it, the close) are kept as facts of the first, which the verdict names.
   */
  private void failAt(String step, String text) {
    for (int i = 0; i < checks.size(); i++) {
      Check check = checks.get(i);
      if (check.status() == Status.FAIL) {
        @SuppressWarnings("unchecked")
        List<String> then =
            new ArrayList<>((List<String>) check.facts().getOrDefault("then", List.of()));
        then.add(text);
        checks.set(i, check.withFact("then", List.copyOf(then)));
        return;
      }
    }
    add(step, Status.FAIL, text);
  }

  /** An exception's message without the address Netty appends to it. */
  private static String reason(Throwable cause) {
    String message = String.valueOf(cause.getMessage());
    int address = message.indexOf(": /");
    return address > 0 ? message.substring(0, address) : message;
  }

  static String describe(AuthMethod method) {
    return switch (method) {
      case SASL_EXTERNAL -> "SASL EXTERNAL (certificate, XEP-0178)";
      case DIALBACK -> "dialback (XEP-0220)";
      case DIALBACK_CERTIFICATE -> "dialback accepted on our certificate (XEP-0344)";
    };
  }
}
