package org.passerelle.stream.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Our own certificate chain and its private key, presented in every TLS handshake, as server and as
 * client (so that peers can authenticate us with SASL EXTERNAL, XEP-0178). Immutable; the private
 * key is checked to belong to the first certificate.
 */
public final class KeyMaterial {

  private static final byte[] PROBE = "passerelle key check".getBytes(StandardCharsets.US_ASCII);

  private final PrivateKey privateKey;
  private final List<X509Certificate> certificateChain;

  private KeyMaterial(PrivateKey privateKey, List<X509Certificate> certificateChain) {
    this.privateKey = privateKey;
    this.certificateChain = certificateChain;
  }

  /**
   * Key material already in memory.
   *
   * @param certificateChain our certificate first, then its issuers in order
   * @throws IllegalArgumentException if the chain is empty or the key does not match its first
   *     certificate
   */
  public static KeyMaterial of(PrivateKey privateKey, List<X509Certificate> certificateChain) {
    Objects.requireNonNull(privateKey, "privateKey");
    List<X509Certificate> chain = List.copyOf(certificateChain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("certificate chain is empty");
    }
    if (!belongTogether(privateKey, chain.get(0).getPublicKey())) {
      throw new IllegalArgumentException(
          "private key does not match certificate " + chain.get(0).getSubjectX500Principal());
    }
    return new KeyMaterial(privateKey, chain);
  }

  /**
   * Reads a PEM certificate chain (our certificate first) and a PEM private key (PKCS#8, PKCS#1 or
   * SEC1, unencrypted). Both may be the same file.
   *
   * @throws IOException naming the file that is missing, unreadable or malformed, or both files if
   *     the key does not match the certificate
   */
  public static KeyMaterial fromPem(Path certificateChainFile, Path privateKeyFile)
      throws IOException {
    Objects.requireNonNull(certificateChainFile, "certificateChainFile");
    Objects.requireNonNull(privateKeyFile, "privateKeyFile");
    List<X509Certificate> chain =
        PkiFiles.readCertificates(certificateChainFile, "certificate file");
    PrivateKey key = PkiFiles.readPrivateKey(privateKeyFile, "private key file");
    boolean match;
    try {
      match = belongTogether(key, chain.get(0).getPublicKey());
    } catch (IllegalArgumentException e) {
      throw new IOException("private key file " + privateKeyFile + ": " + e.getMessage(), e);
    }
    if (!match) {
      throw new IOException(
          "private key file "
              + privateKeyFile
              + " does not match the first certificate in "
              + certificateChainFile
              + " ("
              + chain.get(0).getSubjectX500Principal()
              + "); our own certificate must come first");
    }
    return new KeyMaterial(key, chain);
  }

  /**
   * Reads the single private key entry of a PKCS#12 (or JKS) file, whose key is protected by the
   * store password.
   *
   * @throws IOException naming the file if it is missing, the password is wrong, or it does not
   *     hold exactly one private key entry with its certificate chain
   */
  public static KeyMaterial fromKeyStore(Path file, char[] password) throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(password, "password");
    KeyStore store = PkiFiles.loadKeyStore(file, password, "key store");
    try {
      List<String> keyAliases = new ArrayList<>();
      for (String alias : Collections.list(store.aliases())) {
        if (store.isKeyEntry(alias)) {
          keyAliases.add(alias);
        }
      }
      if (keyAliases.size() != 1) {
        throw new IOException(
            "key store "
                + file
                + " must contain exactly one private key entry, found "
                + keyAliases.size()
                + (keyAliases.isEmpty() ? "" : " " + keyAliases));
      }
      String alias = keyAliases.get(0);
      Key key = store.getKey(alias, password);
      Certificate[] chain = store.getCertificateChain(alias);
      if (!(key instanceof PrivateKey) || chain == null || chain.length == 0) {
        throw new IOException(
            "key store " + file + " entry '" + alias + "' is not a private key with certificates");
      }
      List<X509Certificate> certificates = new ArrayList<>();
      for (Certificate certificate : chain) {
        if (!(certificate instanceof X509Certificate)) {
          throw new IOException(
              "key store " + file + " entry '" + alias + "' holds a non-X.509 certificate");
        }
        certificates.add((X509Certificate) certificate);
      }
      boolean match;
      try {
        match = belongTogether((PrivateKey) key, certificates.get(0).getPublicKey());
      } catch (IllegalArgumentException e) {
        throw new IOException("key store " + file + " entry '" + alias + "': " + e.getMessage(), e);
      }
      if (!match) {
        throw new IOException(
            "key store " + file + " entry '" + alias + "': key does not match its certificate");
      }
      return new KeyMaterial((PrivateKey) key, List.copyOf(certificates));
    } catch (UnrecoverableKeyException e) {
      throw new IOException(
          "key store " + file + ": the store password does not unlock the private key", e);
    } catch (GeneralSecurityException e) {
      throw new IOException("key store " + file + " cannot be read: " + e.getMessage(), e);
    }
  }

  /** Our private key. */
  public PrivateKey privateKey() {
    return privateKey;
  }

  /** Our certificate first, then its issuers; unmodifiable. */
  public List<X509Certificate> certificateChain() {
    return certificateChain;
  }

  /** Our own (end-entity) certificate. */
  public X509Certificate certificate() {
    return certificateChain.get(0);
  }

  @Override
  public String toString() {
    return "KeyMaterial["
        + certificate().getSubjectX500Principal()
        + ", chain of "
        + certificateChain.size()
        + "]";
  }

  /**
   * Whether the private key is the partner of the public key: RSA by modulus, other algorithms by
   * signing a probe and verifying it.
   */
  static boolean belongTogether(PrivateKey privateKey, PublicKey publicKey) {
    if (privateKey instanceof RSAKey || publicKey instanceof RSAKey) {
      return privateKey instanceof RSAKey
          && publicKey instanceof RSAKey
          && ((RSAKey) privateKey).getModulus().equals(((RSAKey) publicKey).getModulus());
    }
    String algorithm = signatureAlgorithm(privateKey);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(PROBE);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(PROBE);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // e.g. an EC key against an RSA certificate
    }
  }

  private static String signatureAlgorithm(PrivateKey key) {
    return switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
      default ->
          throw new IllegalArgumentException(
              "unsupported private key algorithm "
                  + key.getAlgorithm()
                  + " (use RSA, EC or EdDSA)");
    };
  }
}
