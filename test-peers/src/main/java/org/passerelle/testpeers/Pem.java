package org.passerelle.testpeers;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;

/** PEM text (RFC 7468) for certificates and PKCS#8 private keys. */
final class Pem {

  private static final Base64.Encoder BASE64 =
      Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

  private Pem() {}

  static String certificate(X509Certificate certificate) throws CertificateEncodingException {
    return block("CERTIFICATE", certificate.getEncoded());
  }

  /** The unencrypted PKCS#8 form ({@code PRIVATE KEY}), which OpenSSL, LuaSec and Erlang read. */
  static String privateKey(PrivateKey key) {
    if (!"PKCS#8".equals(key.getFormat())) {
      throw new IllegalArgumentException("not a PKCS#8 key: " + key.getFormat());
    }
    return block("PRIVATE KEY", key.getEncoded());
  }

  private static String block(String label, byte[] der) {
    return "-----BEGIN "
        + label
        + "-----\n"
        + BASE64.encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }
}
