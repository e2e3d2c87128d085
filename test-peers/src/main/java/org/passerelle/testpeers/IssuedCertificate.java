package org.passerelle.testpeers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A server certificate for one XMPP domain, written to files in the formats the peers and our proxy
 * read.
 *
 * @param domain the domain named in the certificate (CN and the only DNS subjectAltName)
 * @param certificatePem the certificate alone, PEM
 * @param privateKeyPem the unencrypted PKCS#8 private key, PEM ({@code BEGIN PRIVATE KEY})
 * @param combinedPem certificate followed by key in one PEM file (ejabberd {@code certfiles})
 * @param pkcs12 certificate chain and key as a PKCS#12 key store, alias {@link #domain()}
 * @param pkcs12Password the password of {@link #pkcs12()} and of its key entry
 * @param certificate the certificate
 * @param privateKey its private key
 */
public record IssuedCertificate(
    String domain,
    Path certificatePem,
    Path privateKeyPem,
    Path combinedPem,
    Path pkcs12,
    String pkcs12Password,
    X509Certificate certificate,
    PrivateKey privateKey) {

  public IssuedCertificate {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(certificatePem, "certificatePem");
    Objects.requireNonNull(privateKeyPem, "privateKeyPem");
    Objects.requireNonNull(combinedPem, "combinedPem");
    Objects.requireNonNull(pkcs12, "pkcs12");
    Objects.requireNonNull(pkcs12Password, "pkcs12Password");
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
  }

  /** Loads {@link #pkcs12()}, e.g. for a {@code KeyManagerFactory}. */
  public KeyStore keyStore() throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(pkcs12)) {
      store.load(in, pkcs12Password.toCharArray());
    }
    return store;
  }
}
