package org.passerelle.stream.pki;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.X509TrustedCertificateBlock;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * BouncyCastle's PEM reading, for the files {@link JdkPem} declines: PKCS#1 and SEC1 keys,
 * encrypted keys (refused with an explanation), OpenSSL's TRUSTED CERTIFICATE blocks, and every
 * malformed file, whose errors name the file. Its own class so that BouncyCastle is loaded only
 * when such a file is read.
 */
final class BouncyCastlePem {

  private BouncyCastlePem() {}

  /** All CERTIFICATE (and OpenSSL TRUSTED CERTIFICATE) blocks of a PEM file, in file order. */
  static List<X509Certificate> readCertificates(Path file, String what) throws IOException {
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    List<X509Certificate> certificates = new ArrayList<>();
    try (PEMParser parser = pemParser(file)) {
      Object object;
      while ((object = parser.readObject()) != null) {
        if (object instanceof X509TrustedCertificateBlock) {
          object = ((X509TrustedCertificateBlock) object).getCertificateHolder();
        }
        if (object instanceof X509CertificateHolder) {
          certificates.add(converter.getCertificate((X509CertificateHolder) object));
        }
      }
    } catch (IOException | CertificateException | RuntimeException e) {
      // BouncyCastle reports corrupt base64 or DER with assorted runtime exceptions.
      throw new IOException(what + " " + file + " is not a valid PEM file: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new IOException(
          what
              + " "
              + file
              + " contains no PEM \"BEGIN CERTIFICATE\" block (DER is not supported)");
    }
    return List.copyOf(certificates);
  }

  /**
   * The one private key of a PEM file: PKCS#8 "PRIVATE KEY", PKCS#1 "RSA PRIVATE KEY" or SEC1 "EC
   * PRIVATE KEY". Encrypted keys are refused: the proxy would need the password in its
   * configuration anyway, so file permissions are the protection.
   */
  static PrivateKey readPrivateKey(Path file, String what) throws IOException {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    List<PrivateKey> keys = new ArrayList<>();
    boolean encrypted = false;
    try (PEMParser parser = pemParser(file)) {
      Object object;
      while ((object = parser.readObject()) != null) {
        if (object instanceof PrivateKeyInfo) {
          keys.add(converter.getPrivateKey((PrivateKeyInfo) object));
        } else if (object instanceof PEMKeyPair) {
          // Only the private part: SEC1 keys may omit the optional public key.
          keys.add(converter.getPrivateKey(((PEMKeyPair) object).getPrivateKeyInfo()));
        } else if (object instanceof PEMEncryptedKeyPair
            || object instanceof PKCS8EncryptedPrivateKeyInfo) {
          encrypted = true;
        }
        // Certificates and "EC PARAMETERS" blocks may share the file; they are not keys.
      }
    } catch (IOException | RuntimeException e) {
      throw new IOException(what + " " + file + " is not a valid PEM file: " + e.getMessage(), e);
    }
    if (encrypted) {
      throw new IOException(
          what
              + " "
              + file
              + " holds an encrypted private key, which is not supported;"
              + " store it unencrypted and readable by the proxy's user only");
    }
    if (keys.size() != 1) {
      throw new IOException(
          what
              + " "
              + file
              + " must contain exactly one PEM private key (PRIVATE KEY, RSA PRIVATE KEY or"
              + " EC PRIVATE KEY), found "
              + keys.size());
    }
    return keys.get(0);
  }

  private static PEMParser pemParser(Path file) throws IOException {
    // PEM itself is ASCII; Latin-1 never fails on the UTF-8 comments some CA bundles carry.
    Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
    return new PEMParser(reader);
  }
}
