package org.passerelle.gateway.sip;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Key and trust managers loaded from the files of {@link SipTlsSettings}, with JDK classes only.
 * Errors name the file.
 */
final class TlsManagers {

  private static final Pattern PRIVATE_KEY =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
  private static final Pattern OTHER_KEY = Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----");
  private static final String PEM_CERTIFICATE = "-----BEGIN CERTIFICATE-----";
  private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448"};
  private static final byte[] PROBE = "passerelle".getBytes(StandardCharsets.US_ASCII);
  private static final String ALIAS = "sip";

  private final KeyManager[] keyManagers;
  private final TrustManager[] trustManagers;

  private TlsManagers(KeyManager[] keyManagers, TrustManager[] trustManagers) {
    this.keyManagers = keyManagers;
    this.trustManagers = trustManagers;
  }

  KeyManager[] keyManagers() {
    return keyManagers.clone();
  }

  TrustManager[] trustManagers() {
    return trustManagers.clone();
  }

  static TlsManagers load(SipTlsSettings settings) throws IOException {
    KeyStore keys =
        settings.keyFormat() == SipTlsSettings.KeyFormat.PEM
            ? pemKeyStore(settings.certificateFile(), settings.keyFile())
            : keyStore(settings.keyFile(), settings.keyStorePassword(), "key store");
    char[] keyPassword = settings.keyStorePassword().toCharArray();
    KeyStore trust = trustStore(settings.trustFile(), settings.trustStorePassword());
    try {
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, keyPassword);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(trust);
      return new TlsManagers(kmf.getKeyManagers(), tmf.getTrustManagers());
    } catch (GeneralSecurityException e) {
      throw new IOException("TLS key material " + settings.keyFile() + ": " + e.getMessage(), e);
    }
  }

  /** An in-memory key store holding the PEM chain and key, protected by an empty password. */
  private static KeyStore pemKeyStore(Path chainFile, Path keyFile) throws IOException {
    List<X509Certificate> chain = pemCertificates(chainFile, "certificate file");
    PrivateKey key = pemPrivateKey(keyFile);
    if (!belongTogether(key, chain.get(0).getPublicKey())) {
      throw new IOException(
          "private key "
              + keyFile
              + " does not match the first certificate of "
              + chainFile
              + " (our own certificate must come first)");
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(ALIAS, key, new char[0], chain.toArray(new Certificate[0]));
      return store;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot hold key " + keyFile + ": " + e.getMessage(), e);
    }
  }

  private static KeyStore trustStore(Path file, String password) throws IOException {
    String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    if (!text.contains(PEM_CERTIFICATE)) {
      return keyStore(file, password, "trust store");
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      int i = 0;
      for (X509Certificate certificate : pemCertificates(file, "trust file")) {
        store.setCertificateEntry("anchor-" + i++, certificate);
      }
      return store;
    } catch (GeneralSecurityException e) {
      throw new IOException("trust file " + file + ": " + e.getMessage(), e);
    }
  }

  /** A PKCS#12 or JKS file, the type recognised from its content. */
  private static KeyStore keyStore(Path file, String password, String what) throws IOException {
    try {
      return KeyStore.getInstance(
          file.toFile(), password.isEmpty() ? null : password.toCharArray());
    } catch (IOException | GeneralSecurityException e) {
      throw new IOException(
          what + " " + file + " cannot be read as PKCS#12 or JKS (wrong password?): " + e, e);
    }
  }

  private static List<X509Certificate> pemCertificates(Path file, String what) throws IOException {
    List<X509Certificate> certificates = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        certificates.add((X509Certificate) c);
      }
    } catch (GeneralSecurityException e) {
      throw new IOException(what + " " + file + " is not valid PEM: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new IOException(what + " " + file + " holds no \"BEGIN CERTIFICATE\" block");
    }
    return Collections.unmodifiableList(certificates);
  }

  private static PrivateKey pemPrivateKey(Path file) throws IOException {
    String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    Matcher m = PRIVATE_KEY.matcher(text);
    if (!m.find()) {
      throw new IOException(
          "private key file "
              + file
              + (OTHER_KEY.matcher(text).find()
                  ? " holds a PKCS#1, SEC1 or encrypted key; convert it to unencrypted PKCS#8"
                      + " (openssl pkcs8 -topk8 -nocrypt)"
                  : " holds no \"BEGIN PRIVATE KEY\" block"));
    }
    PKCS8EncodedKeySpec spec;
    try {
      spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1)));
    } catch (IllegalArgumentException e) {
      throw new IOException("private key file " + file + " is not valid base64", e);
    }
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // Not this algorithm: PKCS#8 names it inside, but the JDK needs it up front.
      }
    }
    throw new IOException("private key file " + file + ": not an RSA, EC or EdDSA key");
  }

  /** Signs a probe with the private key and checks it with the certificate's public key. */
  private static boolean belongTogether(PrivateKey key, PublicKey publicKey) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> key.getAlgorithm();
        };
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(PROBE);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(PROBE);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
