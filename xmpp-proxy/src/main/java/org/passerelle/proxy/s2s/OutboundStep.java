package org.passerelle.proxy.s2s;

import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import org.dom4j.Element;
import org.dom4j.QName;
import org.passerelle.model.Namespaces;
import org.passerelle.stream.StreamErrorCondition;
import org.passerelle.stream.StreamHeader;

/**
 * One step of a stream we open, as the initiating entity, in the order RFC 6120 §4.3 runs them:
 * what {@link S2sEvents#outbound} reports, for {@code passerelle diagnose} and for debugging. The
 * steps of one connection end with {@link Closed}.
 */
public sealed interface OutboundStep {

  /** TCP is up; with XEP-0368 direct TLS, the handshake comes next. */
  record Connected(SocketAddress localAddress) implements OutboundStep {}

  /** The TCP connection could not be made (refused, unreachable, timed out). */
  record ConnectFailed(Throwable cause) implements OutboundStep {
    public ConnectFailed {
      Objects.requireNonNull(cause, "cause");
    }
  }

  /** The receiver's stream header arrived (RFC 6120 §4.7); the first carries the stream id. */
  record HeaderReceived(StreamHeader header) implements OutboundStep {
    public HeaderReceived {
      Objects.requireNonNull(header, "header");
    }
  }

  /**
   * The receiver's stream features arrived (RFC 6120 §4.3.2).
   *
   * @param secured whether they came over TLS
   * @param startTls STARTTLS offered (§5.3.1)
   * @param startTlsRequired STARTTLS offered as required
   * @param saslMechanisms the SASL mechanisms offered, e.g. {@code EXTERNAL} (§6.3.3)
   * @param dialback dialback announced as a feature (XEP-0220 §2.4.2)
   */
  record FeaturesReceived(
      boolean secured,
      boolean startTls,
      boolean startTlsRequired,
      List<String> saslMechanisms,
      boolean dialback)
      implements OutboundStep {
    public FeaturesReceived {
      saslMechanisms = List.copyOf(saslMechanisms);
    }

    static FeaturesReceived of(Element features, boolean secured) {
      Element startTls = features.element(QName.get("starttls", Namespaces.TLS));
      Element mechanisms = features.element(QName.get("mechanisms", Namespaces.SASL));
      List<String> names =
          mechanisms == null
              ? List.of()
              : mechanisms.elements(QName.get("mechanism", Namespaces.SASL)).stream()
                  .map(Element::getTextTrim)
                  .toList();
      return new FeaturesReceived(
          secured,
          startTls != null,
          startTls != null && startTls.element(QName.get("required", Namespaces.TLS)) != null,
          names,
          S2sElements.offersDialback(features));
    }

    public boolean offersExternal() {
      return saslMechanisms.contains(S2sElements.EXTERNAL);
    }
  }

  /**
   * The TLS handshake completed (RFC 6120 §5.4.3.3, or XEP-0368 direct TLS).
   *
   * @param protocol e.g. {@code TLSv1.3}
   * @param cipherSuite e.g. {@code TLS_AES_256_GCM_SHA384}
   * @param peerChain the receiver's certificates, its own first; empty if it sent none
   * @param identity whether the chain authenticates the remote domain (RFC 6125)
   */
  record TlsEstablished(
      String protocol,
      String cipherSuite,
      List<X509Certificate> peerChain,
      CertificateChecker.Result identity)
      implements OutboundStep {
    public TlsEstablished {
      peerChain = List.copyOf(peerChain);
      Objects.requireNonNull(identity, "identity");
    }
  }

  /** The TLS handshake failed. */
  record TlsFailed(Throwable cause) implements OutboundStep {}

  /** The receiver answered SASL EXTERNAL (XEP-0178 §3): success, or failure and its condition. */
  record SaslAnswered(boolean success, String condition) implements OutboundStep {}

  /**
   * The receiver answered our dialback request (XEP-0220 §2.1.1).
   *
   * @param type {@code valid}, {@code invalid} or {@code error}
   * @param condition the error's condition when {@code type} is {@code error}, else empty
   */
  record DialbackAnswered(String type, String condition) implements OutboundStep {}

  /** The stream is authenticated and carries stanzas. */
  record Established(AuthMethod method) implements OutboundStep {}

  /** The receiver ended the stream with a stream error (RFC 6120 §4.9). */
  record StreamError(StreamErrorCondition condition, String text) implements OutboundStep {}

  /** We gave up on the stream, and why (our reason, as logged). */
  record Failed(String reason) implements OutboundStep {}

  /** The connection is closed; the last step of every connection that was made. */
  record Closed(boolean wasEstablished) implements OutboundStep {}
}
