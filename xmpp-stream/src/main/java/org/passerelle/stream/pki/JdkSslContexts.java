package org.passerelle.stream.pki;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Netty {@link SslContext}s over a JDK {@link SSLContext} built here, the JDK provider named
 * explicitly, with TLS 1.3 and 1.2 and Netty's default cipher suites: what {@code
 * SslContextBuilder.sslProvider(SslProvider.JDK)} gives, at a fraction of the start-up cost.
 *
 * <p>Why not the builder: Netty's {@code JdkSslServerContext} initialiser probes its trust manager
 * wrapping by reading a test key, and with BouncyCastle on the class path (it is, for the PEM files
 * {@link JdkPem} declines) that instantiates BouncyCastle's provider; each context then puts its
 * key into a PKCS#12 key store, whose key protection runs PBKDF2 with 10,000 iterations. Together
 * 0.3–0.5 s of a cold start. Here the key goes into an in-memory JKS store, whose protection is a
 * few digests; nobody ever sees that store or its password.
 */
public final class JdkSslContexts {

  private static final char[] IN_MEMORY_PASSWORD = "in-memory".toCharArray();

  private JdkSslContexts() {}

  /** A server context presenting {@code keys}; peers' certificates are checked by {@code trust}. */
  public static SslContext server(
      KeyMaterial keys, TrustManagerFactory trust, ClientAuth clientAuth) throws SSLException {
    Objects.requireNonNull(clientAuth, "clientAuth");
    return context(keys, trust, false, clientAuth);
  }

  /** A client context presenting {@code keys} when asked; servers are checked by {@code trust}. */
  public static SslContext client(KeyMaterial keys, TrustManagerFactory trust) throws SSLException {
    return context(keys, trust, true, ClientAuth.NONE);
  }

  /** Trusts chains that lead to one of {@code anchors} (PKIX), as Netty's builder does. */
  public static TrustManagerFactory trusting(Collection<X509Certificate> anchors)
      throws SSLException {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (X509Certificate anchor : anchors) {
        store.setCertificateEntry(Integer.toString(i++), anchor);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory;
    } catch (GeneralSecurityException | IOException e) {
      throw new SSLException("cannot build a trust manager: " + e.getMessage(), e);
    }
  }

  private static SslContext context(
      KeyMaterial keys, TrustManagerFactory trust, boolean client, ClientAuth clientAuth)
      throws SSLException {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(trust, "trust");
    SSLContext context;
    try {
      KeyStore store = KeyStore.getInstance("JKS");
      store.load(null, null);
      store.setKeyEntry(
          "key",
          keys.privateKey(),
          IN_MEMORY_PASSWORD,
          keys.certificateChain().toArray(X509Certificate[]::new));
      KeyManagerFactory keyManagers =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(store, IN_MEMORY_PASSWORD);
      context = SSLContext.getInstance("TLS");
      context.init(keyManagers.getKeyManagers(), trust.getTrustManagers(), null);
    } catch (GeneralSecurityException | IOException e) {
      throw new SSLException("cannot build a TLS context: " + e.getMessage(), e);
    }
    return new JdkSslContext(
        context,
        client,
        null, // Netty's default cipher suites for the JDK provider
        IdentityCipherSuiteFilter.INSTANCE,
        null, // no ALPN
        clientAuth,
        TlsContexts.PROTOCOLS.toArray(String[]::new),
        false);
  }
}
