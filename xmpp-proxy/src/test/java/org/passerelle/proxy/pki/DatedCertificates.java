package org.passerelle.proxy.pki;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Self-signed certificates with chosen validity dates, which the test CA does not make. */
final class DatedCertificates {
  private DatedCertificates() {}

  /** A self-signed certificate for {@code domain}, valid from {@code notBefore} to notAfter. */
  static X509Certificate make(String domain, Instant notBefore, Instant notAfter, Path pemDir)
      throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    KeyPair keys = generator.generateKeyPair();
    X500Principal name = new X500Principal("CN=" + domain);
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            name,
            BigInteger.valueOf(notAfter.getEpochSecond()),
            Date.from(notBefore),
            Date.from(notAfter),
            name,
            keys.getPublic());
    builder.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(new GeneralName(GeneralName.dNSName, domain)));
    X509Certificate certificate =
        new JcaX509CertificateConverter()
            .getCertificate(
                builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    if (pemDir != null) {
      Files.createDirectories(pemDir);
      Files.writeString(
          pemDir.resolve(domain + ".crt"), pem("CERTIFICATE", certificate.getEncoded()));
      Files.writeString(
          pemDir.resolve(domain + ".key"), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    }
    return certificate;
  }

  private static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
