package org.passerelle.stream.pki;

import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** The certificate chain a peer presented in a completed TLS handshake. */
public final class PeerCertificates {

  private PeerCertificates() {}

  /**
   * The peer's chain, its own certificate first; empty if it sent none (a client that did not
   * answer the certificate request) or the handshake has not completed.
   */
  public static List<X509Certificate> of(SslHandler handler) {
    Objects.requireNonNull(handler, "handler");
    return of(handler.engine().getSession());
  }

  /** As {@link #of(SslHandler)}, from the session. */
  public static List<X509Certificate> of(SSLSession session) {
    Objects.requireNonNull(session, "session");
    Certificate[] certificates;
    try {
      certificates = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
    List<X509Certificate> chain = new ArrayList<>(certificates.length);
    for (Certificate certificate : certificates) {
      if (certificate instanceof X509Certificate) {
        chain.add((X509Certificate) certificate);
      }
    }
    return List.copyOf(chain);
  }
}
