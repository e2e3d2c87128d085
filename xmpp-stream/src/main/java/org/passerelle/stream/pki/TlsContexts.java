package org.passerelle.stream.pki;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * Netty {@link SslContext}s for server-to-server streams, both presenting our {@link KeyMaterial}.
 *
 * <h2>Handshakes accept every peer certificate</h2>
 *
 * <p>Both contexts complete the handshake whatever certificate the peer shows, or none: the trust
 * manager accepts everything, and nothing checks host names. This is deliberate. In XMPP,
 * authentication is decided after the handshake: a peer whose chain {@link PeerCertificateVerifier}
 * accepts for the domain in its stream header may use SASL EXTERNAL (XEP-0178); any other peer,
 * including one with a self-signed certificate, still gets an encrypted stream and may authenticate
 * with dialback (XEP-0220, RFC 6120 §13.8.2 "confidentiality only"). Rejecting it during the
 * handshake would only push it to plaintext. So <strong>a completed handshake proves
 * nothing</strong>: callers must run {@link PeerCertificateVerifier#verify} on {@link
 * PeerCertificates#of} before treating a peer as authenticated.
 *
 * <h2>Use</h2>
 *
 * <ul>
 *   <li>The server context requests a client certificate but does not require one ({@link
 *       ClientAuth#OPTIONAL}). For STARTTLS, put its handler in the pipeline <em>before</em>
 *       writing {@code <proceed/>} and create it with {@code new
 *       SslHandler(context.newEngine(alloc), true)} so that {@code <proceed/>} itself still goes
 *       out in plaintext (RFC 6120 §5.4); for direct TLS (XEP-0368) use {@code
 *       context.newHandler(alloc)}.
 *   <li>The client context presents our certificate when asked, so the peer can authenticate us.
 *       Create handlers with {@code context.newHandler(alloc, domain, port)} where {@code domain}
 *       is the remote XMPP domain in IDNA ASCII form: the JDK then sends it as SNI (RFC 6066 §3;
 *       required by XEP-0368, allowed by RFC 7590 §3.5). The JDK sends no SNI for IP literals or
 *       single-label names such as {@code localhost}.
 * </ul>
 *
 * <p>Protocols are TLS 1.3 and 1.2 only; cipher suites are Netty's defaults for the JDK provider.
 */
public final class TlsContexts {

  /** The enabled protocols; TLS 1.0 and 1.1 are deprecated by RFC 8996. */
  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  private TlsContexts() {}

  /** The context for streams a peer opens to us. */
  public static SslContext server(KeyMaterial keyMaterial) throws SSLException {
    Objects.requireNonNull(keyMaterial, "keyMaterial");
    // Authentication happens after the handshake, see the class comment.
    return JdkSslContexts.server(
        keyMaterial, InsecureTrustManagerFactory.INSTANCE, ClientAuth.OPTIONAL);
  }

  /**
   * The context for streams we open to a peer. No host name check (endpoint identification) is
   * made: authentication happens after the handshake, see the class comment.
   */
  public static SslContext client(KeyMaterial keyMaterial) throws SSLException {
    Objects.requireNonNull(keyMaterial, "keyMaterial");
    return JdkSslContexts.client(keyMaterial, InsecureTrustManagerFactory.INSTANCE);
  }
}
