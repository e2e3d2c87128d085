package org.passerelle.stream.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Reads the common PEM files — "CERTIFICATE" and unencrypted PKCS#8 "PRIVATE KEY" blocks of RSA, EC
 * and EdDSA keys — with the JDK alone, so that a start with such files never loads BouncyCastle
 * (about 0.25 s of CPU on a cold JVM; its signed jars also stay out of the class data sharing
 * archive).
 *
 * <p>Anything else is declined rather than judged: other block types (PKCS#1, SEC1, encrypted,
 * "TRUSTED CERTIFICATE"), headers, malformed markers, base64 or DER, or an algorithm it does not
 * know. {@link PkiFiles} then reads the file with BouncyCastle, which accepts or rejects it with
 * the same results and messages as before this reader existed.
 */
final class JdkPem {

  /** The blocks of a file this reader fully understood, in file order. */
  record Contents(List<X509Certificate> certificates, List<PrivateKey> privateKeys) {}

  private static final String BEGIN = "-----BEGIN ";
  private static final String END = "-----END ";
  private static final String DASHES = "-----";

  // DER encodings of the PKCS#8 algorithm identifiers' OIDs, and the JDK's key factory for each.
  private static final byte[] RSA = {
    0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 1, 1, 1
  };
  private static final byte[] RSASSA_PSS = {
    0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 1, 1, 0x0a
  };
  private static final byte[] EC = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 2, 1};
  private static final byte[] ED25519 = {0x2b, 0x65, 0x70};
  private static final byte[] ED448 = {0x2b, 0x65, 0x71};

  private JdkPem() {}

  /** The file's contents, or empty if this reader declines the file (see the class comment). */
  static Optional<Contents> read(Path file) {
    String text;
    try {
      text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return Optional.empty(); // BouncyCastle's reader reports it
    }
    List<X509Certificate> certificates = new ArrayList<>();
    List<PrivateKey> keys = new ArrayList<>();
    String type = null;
    StringBuilder base64 = new StringBuilder();
    for (String line : text.split("\r?\n|\r", -1)) {
      if (type == null) {
        if (line.startsWith(BEGIN)) {
          type = markerType(line, BEGIN);
          if (type == null) {
            return Optional.empty();
          }
          base64.setLength(0);
        } else if (line.contains(DASHES + "BEGIN") || line.contains(DASHES + "END")) {
          return Optional.empty(); // a marker this reader would not read the way BouncyCastle does
        }
        // Any other text around the blocks is ignored, as BouncyCastle does.
      } else if (line.startsWith(END)) {
        if (!type.equals(markerType(line, END))) {
          return Optional.empty();
        }
        byte[] der;
        try {
          der = Base64.getDecoder().decode(base64.toString());
        } catch (IllegalArgumentException e) {
          return Optional.empty();
        }
        boolean understood =
            switch (type) {
              case "CERTIFICATE" -> addCertificate(der, certificates);
              case "PRIVATE KEY" -> addPrivateKey(der, keys);
              default -> false;
            };
        if (!understood) {
          return Optional.empty();
        }
        type = null;
      } else if (line.indexOf(':') >= 0 || line.contains(DASHES)) {
        return Optional.empty(); // headers (Proc-Type, DEK-Info) or a stray marker
      } else {
        base64.append(line.strip());
      }
    }
    if (type != null) {
      return Optional.empty(); // unterminated block
    }
    return Optional.of(new Contents(List.copyOf(certificates), List.copyOf(keys)));
  }

  /** "TYPE" of "-----BEGIN TYPE-----", or null if the line is not exactly such a marker. */
  private static String markerType(String line, String prefix) {
    String marker = line.stripTrailing();
    if (!marker.endsWith(DASHES) || marker.length() <= prefix.length() + DASHES.length()) {
      return null;
    }
    String type = marker.substring(prefix.length(), marker.length() - DASHES.length());
    return type.isBlank() || type.contains("-") || !type.equals(type.strip()) ? null : type;
  }

  private static boolean addCertificate(byte[] der, List<X509Certificate> certificates) {
    try {
      Certificate certificate =
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
      // The factory would ignore trailing bytes and accept a PEM block inside the block.
      if (!(certificate instanceof X509Certificate)
          || !Arrays.equals(certificate.getEncoded(), der)) {
        return false;
      }
      certificates.add((X509Certificate) certificate);
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static boolean addPrivateKey(byte[] der, List<PrivateKey> keys) {
    String algorithm = keyAlgorithm(der);
    if (algorithm == null) {
      return false;
    }
    try {
      keys.add(KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der)));
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * The JDK key factory for a PKCS#8 PrivateKeyInfo (RFC 5958 §2: SEQUENCE { version INTEGER,
   * AlgorithmIdentifier SEQUENCE { OID, … }, … }), or null if the structure or OID is not one this
   * reader knows.
   */
  static String keyAlgorithm(byte[] der) {
    Der outer = Der.at(der, 0, 0x30);
    if (outer == null || outer.end() != der.length) {
      return null;
    }
    Der version = Der.at(der, outer.contentStart(), 0x02);
    if (version == null) {
      return null;
    }
    Der algorithmIdentifier = Der.at(der, version.end(), 0x30);
    if (algorithmIdentifier == null) {
      return null;
    }
    Der oid = Der.at(der, algorithmIdentifier.contentStart(), 0x06);
    if (oid == null || oid.end() > algorithmIdentifier.end()) {
      return null;
    }
    byte[] value = Arrays.copyOfRange(der, oid.contentStart(), oid.end());
    if (Arrays.equals(value, RSA)) {
      return "RSA";
    } else if (Arrays.equals(value, RSASSA_PSS)) {
      return "RSASSA-PSS";
    } else if (Arrays.equals(value, EC)) {
      return "EC";
    } else if (Arrays.equals(value, ED25519)) {
      return "Ed25519";
    } else if (Arrays.equals(value, ED448)) {
      return "Ed448";
    }
    return null;
  }

  /** One DER element's bounds: its content from {@code contentStart} to {@code end}. */
  private record Der(int contentStart, int end) {

    /** The element at {@code offset} if it has the tag and fits in {@code der}, else null. */
    static Der at(byte[] der, int offset, int tag) {
      if (offset + 2 > der.length || (der[offset] & 0xff) != tag) {
        return null;
      }
      int first = der[offset + 1] & 0xff;
      int position = offset + 2;
      long length;
      if (first < 0x80) {
        length = first;
      } else {
        int octets = first & 0x7f;
        if (octets == 0 || octets > 3 || position + octets > der.length) {
          return null; // indefinite (not DER) or longer than any key file
        }
        length = 0;
        for (int i = 0; i < octets; i++) {
          length = (length << 8) | (der[position++] & 0xff);
        }
      }
      long end = position + length;
      return end > der.length ? null : new Der(position, (int) end);
    }
  }
}
