package org.passerelle.testpeers;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made for one test run. It writes {@code ca.crt} into its directory and
 * issues server certificates that both Prosody and ejabberd accept for certificate-based S2S
 * authentication (SASL EXTERNAL, RFC 6120 section 13.7.1.2 and XEP-0178).
 *
 * <p>Issued certificates carry the domain as CN and as the only DNS subjectAltName, and allow both
 * serverAuth and clientAuth, since an S2S peer presents the same certificate when it connects out.
 * COMPAT: ejabberd: no XmppAddr subjectAltName, its xmpp library 1.6.1 crashes the S2S connection
 * on one.
 */
public final class TestCa {

  /** The password of every PKCS#12 file written by this class. */
  public static final String PKCS12_PASSWORD = "passerelle";

  private static final String KEY_ALGORITHM = "RSA";
  private static final int RSA_KEY_BITS = 2048;
  private static final String SIGNATURE_ALGORITHM = "SHA256withRSA";

  /** Backdated so that a peer whose clock differs slightly still accepts a fresh certificate. */
  private static final Duration BACKDATE = Duration.ofHours(1);

  private static final Duration VALIDITY = Duration.ofDays(30);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;
  private final X509Certificate certificate;
  private final PrivateKey privateKey;
  private final Path certificatePath;

  private TestCa(Path dir, X509Certificate certificate, PrivateKey privateKey, Path path) {
    this.dir = dir;
    this.certificate = certificate;
    this.privateKey = privateKey;
    this.certificatePath = path;
  }

  /** Makes a new CA and writes its certificate to {@code dir/ca.crt}; creates {@code dir}. */
  public static TestCa create(Path dir) {
    Objects.requireNonNull(dir, "dir");
    try {
      Files.createDirectories(dir);
      KeyPair keys = newKeyPair();
      X500Principal name = new X500Principal("CN=Passerelle Test CA");
      X509v3CertificateBuilder builder = certificateBuilder(name, name, keys.getPublic());
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      builder
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(
              Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(
              Extension.subjectKeyIdentifier,
              false,
              extensions.createSubjectKeyIdentifier(keys.getPublic()));
      X509Certificate certificate = sign(builder, keys.getPrivate());
      Path path = dir.resolve("ca.crt");
      Files.writeString(path, Pem.certificate(certificate));
      return new TestCa(dir, certificate, keys.getPrivate(), path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create the test CA", e);
    }
  }

  /**
   * Makes a self-signed certificate for {@code domain} in {@code dir}: for setups where the
   * certificate only encrypts and server dialback (XEP-0220) authenticates.
   */
  public static IssuedCertificate selfSigned(Path dir, String domain) {
    Objects.requireNonNull(dir, "dir");
    try {
      Files.createDirectories(dir);
      KeyPair keys = newKeyPair();
      X500Principal name = subject(domain);
      X509v3CertificateBuilder builder = certificateBuilder(name, name, keys.getPublic());
      addServerExtensions(builder, domain, keys.getPublic(), null);
      X509Certificate certificate = sign(builder, keys.getPrivate());
      return write(dir, domain, keys.getPrivate(), certificate, new X509Certificate[0]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot make a self-signed certificate for " + domain, e);
    }
  }

  /** Issues a server certificate for {@code domain} and writes its files into this CA's dir. */
  public IssuedCertificate issue(String domain) {
    try {
      KeyPair keys = newKeyPair();
      X509v3CertificateBuilder builder =
          certificateBuilder(
              certificate.getSubjectX500Principal(), subject(domain), keys.getPublic());
      addServerExtensions(builder, domain, keys.getPublic(), certificate);
      X509Certificate issued = sign(builder, privateKey);
      return write(dir, domain, keys.getPrivate(), issued, new X509Certificate[] {certificate});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot issue a certificate for " + domain, e);
    }
  }

  /** The CA certificate file ({@code ca.crt}, PEM) that peers are told to trust. */
  public Path certificatePath() {
    return certificatePath;
  }

  /** The CA certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** A key store holding only the CA certificate, e.g. for a {@code TrustManagerFactory}. */
  public KeyStore trustStore() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("passerelle-test-ca", certificate);
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a trust store", e);
    }
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(KEY_ALGORITHM);
    generator.initialize(RSA_KEY_BITS, RANDOM);
    return generator.generateKeyPair();
  }

  private static X500Principal subject(String domain) {
    Objects.requireNonNull(domain, "domain");
    if (domain.isEmpty() || domain.contains(",") || domain.contains("=")) {
      throw new IllegalArgumentException("not a domain name: " + domain);
    }
    return new X500Principal("CN=" + domain);
  }

  private static X509v3CertificateBuilder certificateBuilder(
      X500Principal issuer, X500Principal subject, PublicKey publicKey) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        new BigInteger(63, RANDOM).add(BigInteger.ONE),
        Date.from(now.minus(BACKDATE)),
        Date.from(now.plus(VALIDITY)),
        subject,
        publicKey);
  }

  private static void addServerExtensions(
      X509v3CertificateBuilder builder,
      String domain,
      PublicKey publicKey,
      X509Certificate issuerOrNull)
      throws CertIOException, GeneralSecurityException {
    JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
    builder
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .addExtension(
            Extension.keyUsage,
            true,
            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
        .addExtension(
            Extension.extendedKeyUsage,
            false,
            new ExtendedKeyUsage(
                new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
        .addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(new GeneralName(GeneralName.dNSName, domain)))
        .addExtension(
            Extension.subjectKeyIdentifier,
            false,
            extensions.createSubjectKeyIdentifier(publicKey));
    if (issuerOrNull != null) {
      builder.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          extensions.createAuthorityKeyIdentifier(issuerOrNull));
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(signingKey)));
  }

  private static IssuedCertificate write(
      Path dir,
      String domain,
      PrivateKey key,
      X509Certificate certificate,
      X509Certificate[] issuers)
      throws IOException, GeneralSecurityException {
    Path certificatePem = dir.resolve(domain + ".crt");
    Path keyPem = dir.resolve(domain + ".key");
    Path combinedPem = dir.resolve(domain + ".pem");
    Path pkcs12 = dir.resolve(domain + ".p12");
    Files.writeString(certificatePem, Pem.certificate(certificate));
    Files.writeString(keyPem, Pem.privateKey(key));
    Files.writeString(combinedPem, Pem.certificate(certificate) + Pem.privateKey(key));

    Certificate[] chain = new Certificate[1 + issuers.length];
    chain[0] = certificate;
    System.arraycopy(issuers, 0, chain, 1, issuers.length);
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(domain, key, PKCS12_PASSWORD.toCharArray(), chain);
    try (OutputStream out = Files.newOutputStream(pkcs12)) {
      store.store(out, PKCS12_PASSWORD.toCharArray());
    }
    return new IssuedCertificate(
        domain, certificatePem, keyPem, combinedPem, pkcs12, PKCS12_PASSWORD, certificate, key);
  }
}
