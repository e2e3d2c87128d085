package org.passerelle.stream.pki;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.OtherName;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/** Certificates made on the fly for tests: a CA, and leaves with the identities under test. */
final class TestCertificates {

  private static final AtomicLong SERIAL = new AtomicLong(1);

  /** A key pair and the certificate issued for it. */
  record Issued(KeyPair keyPair, X509Certificate certificate) {

    PrivateKey privateKey() {
      return keyPair.getPrivate();
    }
  }

  private TestCertificates() {}

  static KeyPair ecKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair rsaKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static Builder certificate(String commonName) {
    return new Builder(commonName);
  }

  /** A self-signed CA certificate. */
  static Issued ca(String commonName) {
    return certificate(commonName).ca().selfSigned();
  }

  static final class Builder {
    private final String commonName;
    private KeyPair keyPair;
    private Instant notBefore = Instant.now().minus(Duration.ofDays(1));
    private Instant notAfter = Instant.now().plus(Duration.ofDays(30));
    private boolean ca;
    private final List<GeneralName> altNames = new ArrayList<>();
    private byte[] rawSubjectAltName;

    private Builder(String commonName) {
      this.commonName = commonName;
    }

    Builder keyPair(KeyPair keyPair) {
      this.keyPair = keyPair;
      return this;
    }

    Builder validity(Instant notBefore, Instant notAfter) {
      this.notBefore = notBefore;
      this.notAfter = notAfter;
      return this;
    }

    Builder ca() {
      this.ca = true;
      return this;
    }

    Builder dnsName(String name) {
      altNames.add(new GeneralName(GeneralName.dNSName, new DERIA5String(name)));
      return this;
    }

    Builder srvName(String name) {
      return otherName(BouncyCastleSubjectAltNames.ID_ON_DNS_SRV, new DERIA5String(name));
    }

    Builder xmppAddr(String address) {
      return otherName(BouncyCastleSubjectAltNames.ID_ON_XMPP_ADDR, new DERUTF8String(address));
    }

    Builder otherName(ASN1ObjectIdentifier type, ASN1Encodable value) {
      altNames.add(new GeneralName(GeneralName.otherName, new OtherName(type, value)));
      return this;
    }

    /** Replaces the subjectAltName with raw (possibly malformed) DER. */
    Builder rawSubjectAltName(byte[] der) {
      this.rawSubjectAltName = der;
      return this;
    }

    Issued selfSigned() {
      KeyPair pair = keyPair != null ? keyPair : ecKeyPair();
      return sign(pair, new X500Name("CN=" + commonName), pair.getPrivate());
    }

    Issued issuedBy(Issued issuer) {
      KeyPair pair = keyPair != null ? keyPair : ecKeyPair();
      X500Name issuerName =
          X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
      return sign(pair, issuerName, issuer.privateKey());
    }

    private Issued sign(KeyPair pair, X500Name issuer, PrivateKey signingKey) {
      try {
        X509v3CertificateBuilder builder =
            new JcaX509v3CertificateBuilder(
                issuer,
                BigInteger.valueOf(SERIAL.getAndIncrement()),
                Date.from(notBefore),
                Date.from(notAfter),
                new X500Name("CN=" + commonName),
                pair.getPublic());
        if (ca) {
          builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
          builder.addExtension(
              Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        }
        if (rawSubjectAltName != null) {
          builder.addExtension(Extension.subjectAlternativeName, false, rawSubjectAltName);
        } else if (!altNames.isEmpty()) {
          builder.addExtension(
              Extension.subjectAlternativeName,
              false,
              new GeneralNames(altNames.toArray(GeneralName[]::new)));
        }
        String algorithm =
            signingKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        X509Certificate certificate =
            new JcaX509CertificateConverter()
                .getCertificate(
                    builder.build(new JcaContentSignerBuilder(algorithm).build(signingKey)));
        return new Issued(pair, certificate);
      } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** PEM text of certificates, keys (written as PKCS#8 or the key's legacy form), etc. */
  static String pem(Object... objects) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      for (Object object : objects) {
        writer.writeObject(object);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  /**
   * An EC key pair as OpenSSL writes it in SEC1 form ("EC PRIVATE KEY" with curve and public key,
   * RFC 5915 §3); BouncyCastle's writer would leave the curve out of JDK keys.
   */
  static String sec1Pem(KeyPair ecKeyPair) { // P-256 keys from ecKeyPair()
    try {
      PrivateKeyInfo info = PrivateKeyInfo.getInstance(ecKeyPair.getPrivate().getEncoded());
      BigInteger secret = ((ECPrivateKey) ecKeyPair.getPrivate()).getS();
      org.bouncycastle.asn1.sec.ECPrivateKey sec1 =
          new org.bouncycastle.asn1.sec.ECPrivateKey(
              256,
              secret,
              SubjectPublicKeyInfo.getInstance(ecKeyPair.getPublic().getEncoded())
                  .getPublicKeyData(),
              info.getPrivateKeyAlgorithm().getParameters());
      return pem(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path writePem(Path file, Object... objects) throws IOException {
    return Files.writeString(file, pem(objects));
  }

  /** A PKCS#12 file holding one private key entry. */
  static Path writePkcs12(Path file, char[] password, PrivateKey key, X509Certificate... chain)
      throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("xmpp", key, password, chain);
    try (var out = Files.newOutputStream(file)) {
      store.store(out, password);
    }
    return file;
  }

  /** A PKCS#12 trust store holding trusted certificate entries. */
  static Path writeTrustStore(Path file, char[] password, Certificate... certificates)
      throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    for (int i = 0; i < certificates.length; i++) {
      store.setCertificateEntry("ca" + i, certificates[i]);
    }
    try (var out = Files.newOutputStream(file)) {
      store.store(out, password);
    }
    return file;
  }
}
