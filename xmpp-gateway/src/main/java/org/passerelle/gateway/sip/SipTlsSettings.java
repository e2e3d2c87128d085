package org.passerelle.gateway.sip;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Key and trust material for SIP over TLS, checked for readability on construction and loaded when
 * the endpoint starts. Build with {@link #pem} or {@link #pkcs12}.
 *
 * <p>The trust file holds the certificate authorities that SIP servers' certificates must chain to,
 * either as PEM certificates or as a PKCS#12 (or JKS) key store; its format is recognised from its
 * content. Chains are checked against these anchors in both directions; the peer's identity (RFC
 * 5922 SIP domain certificates) is not checked yet.
 *
 * @param keyFormat how {@link #keyFile()} is stored
 * @param keyFile the private key (PEM, unencrypted PKCS#8 {@code BEGIN PRIVATE KEY}) or the key
 *     store holding exactly one private key entry
 * @param certificateFile our certificate chain, ours first (PEM); for a key store, the key store
 * @param keyStorePassword the password of the key store and its entry; empty for PEM
 * @param trustFile the trust anchors (PEM certificates or a key store)
 * @param trustStorePassword the trust store's password if it is a key store; may be empty
 * @param clientAuth whether our TLS server side asks SIP peers for a certificate
 */
public record SipTlsSettings(
    KeyFormat keyFormat,
    Path keyFile,
    Path certificateFile,
    String keyStorePassword,
    Path trustFile,
    String trustStorePassword,
    ClientAuth clientAuth) {

  /** How our private key is stored. */
  public enum KeyFormat {
    /** PEM certificate chain and PEM PKCS#8 private key, in one file or two. */
    PEM,
    /** A PKCS#12 (or JKS) key store with one private key entry. */
    KEY_STORE
  }

  /** Whether the TLS server side requests a client certificate from SIP peers. */
  public enum ClientAuth {
    NONE,
    /** Ask for one, accept connections without. */
    WANT,
    /** Refuse connections without a certificate that chains to the trust anchors. */
    NEED
  }

  public SipTlsSettings {
    Objects.requireNonNull(keyFormat, "keyFormat");
    requireReadable(keyFile, "keyFile");
    requireReadable(certificateFile, "certificateFile");
    Objects.requireNonNull(keyStorePassword, "keyStorePassword");
    requireReadable(trustFile, "trustFile");
    Objects.requireNonNull(trustStorePassword, "trustStorePassword");
    Objects.requireNonNull(clientAuth, "clientAuth");
    if (keyFormat == KeyFormat.KEY_STORE && !keyFile.equals(certificateFile)) {
      throw new IllegalArgumentException("a key store holds its own certificates");
    }
  }

  /**
   * PEM files: our certificate chain (ours first) and unencrypted PKCS#8 private key, which may be
   * the same file, and the trust anchors. Client certificates are not requested.
   */
  public static SipTlsSettings pem(Path certificateChain, Path privateKey, Path trustAnchors) {
    return new SipTlsSettings(
        KeyFormat.PEM, privateKey, certificateChain, "", trustAnchors, "", ClientAuth.NONE);
  }

  /**
   * A PKCS#12 (or JKS) key store and a trust file (PEM or key store, {@code trustPassword} empty if
   * it has none). Client certificates are not requested.
   */
  public static SipTlsSettings pkcs12(
      Path keyStore, String password, Path trustAnchors, String trustPassword) {
    return new SipTlsSettings(
        KeyFormat.KEY_STORE,
        keyStore,
        keyStore,
        password,
        trustAnchors,
        trustPassword,
        ClientAuth.NONE);
  }

  public SipTlsSettings withClientAuth(ClientAuth clientAuth) {
    return new SipTlsSettings(
        keyFormat,
        keyFile,
        certificateFile,
        keyStorePassword,
        trustFile,
        trustStorePassword,
        clientAuth);
  }

  /** Passwords stay out of logs. */
  @Override
  public String toString() {
    return "SipTlsSettings["
        + keyFormat
        + ", key "
        + keyFile
        + (keyFormat == KeyFormat.PEM ? ", chain " + certificateFile : "")
        + ", trust "
        + trustFile
        + ", client auth "
        + clientAuth
        + "]";
  }

  private static void requireReadable(Path file, String name) {
    Objects.requireNonNull(file, name);
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException(name + " " + file + " is not a readable file");
    }
  }
}
