package org.passerelle.stream.pki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * Reads certificates and keys from PEM files and key stores, with errors that name the file. PEM
 * files may hold text around the blocks and both certificates and keys, so one combined file can
 * serve as chain file and key file.
 */
final class PkiFiles {

  private PkiFiles() {}

  /**
   * All CERTIFICATE (and OpenSSL TRUSTED CERTIFICATE) blocks of a PEM file, in file order. The JDK
   * reads the common files ({@link JdkPem}); BouncyCastle the rest, and judges malformed ones.
   */
  static List<X509Certificate> readCertificates(Path file, String what) throws IOException {
    requireReadableFile(file, what);
    Optional<JdkPem.Contents> contents = JdkPem.read(file);
    if (contents.isPresent() && !contents.get().certificates().isEmpty()) {
      return contents.get().certificates();
    }
    return BouncyCastlePem.readCertificates(file, what);
  }

  /**
   * The one private key of a PEM file: PKCS#8 "PRIVATE KEY", PKCS#1 "RSA PRIVATE KEY" or SEC1 "EC
   * PRIVATE KEY". Encrypted keys are refused: the proxy would need the password in its
   * configuration anyway, so file permissions are the protection. The JDK reads unencrypted PKCS#8
   * ({@link JdkPem}); BouncyCastle the rest, and judges malformed files.
   */
  static PrivateKey readPrivateKey(Path file, String what) throws IOException {
    requireReadableFile(file, what);
    Optional<JdkPem.Contents> contents = JdkPem.read(file);
    if (contents.isPresent() && contents.get().privateKeys().size() == 1) {
      return contents.get().privateKeys().get(0);
    }
    return BouncyCastlePem.readPrivateKey(file, what);
  }

  /**
   * Opens a PKCS#12 or JKS key store (the type is detected from the content).
   *
   * @param password the store password; {@code null} skips the integrity check (trust stores only)
   */
  static KeyStore loadKeyStore(Path file, char[] password, String what) throws IOException {
    requireReadableFile(file, what);
    try {
      return KeyStore.getInstance(file.toFile(), password);
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException) {
        throw new IOException(what + " " + file + ": wrong password", e);
      }
      throw new IOException(
          what + " " + file + " cannot be read as PKCS#12 or JKS: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IOException(
          what + " " + file + " is not a PKCS#12 or JKS key store: " + e.getMessage(), e);
    }
  }

  static void requireReadableFile(Path file, String what) throws IOException {
    if (!Files.exists(file)) {
      throw new IOException(what + " " + file + " does not exist");
    }
    if (!Files.isRegularFile(file)) {
      throw new IOException(what + " " + file + " is not a regular file");
    }
    if (!Files.isReadable(file)) {
      throw new IOException(what + " " + file + " is not readable by this process");
    }
  }
}
