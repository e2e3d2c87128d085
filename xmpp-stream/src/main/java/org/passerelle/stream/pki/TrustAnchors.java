package org.passerelle.stream.pki;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The certificates peer chains must lead to (RFC 5280 §6.1.1 (d)). Usually CA certificates; a
 * peer's own self-signed certificate may be listed too, which then authenticates that peer alone.
 * Immutable and never empty.
 */
public final class TrustAnchors {

  private final Set<X509Certificate> certificates;
  private final Set<TrustAnchor> anchors;
  private final String source;

  private TrustAnchors(Collection<X509Certificate> certificates, String source) {
    this.certificates = Collections.unmodifiableSet(new LinkedHashSet<>(certificates));
    if (this.certificates.isEmpty()) {
      throw new IllegalArgumentException("no trust anchors in " + source);
    }
    this.anchors =
        this.certificates.stream()
            .map(certificate -> new TrustAnchor(certificate, null))
            .collect(Collectors.toUnmodifiableSet());
    this.source = source;
  }

  /**
   * Anchors from configuration: the certificates of all {@code pemFiles} plus the trusted
   * certificate entries of {@code trustStore}; the JDK default trust store if neither is given.
   *
   * @param trustStorePassword may be {@code null}: the store is then read without checking its
   *     integrity
   * @throws IOException naming the file that could not be loaded
   */
  public static TrustAnchors load(
      List<Path> pemFiles, Optional<Path> trustStore, char[] trustStorePassword)
      throws IOException {
    Objects.requireNonNull(pemFiles, "pemFiles");
    Objects.requireNonNull(trustStore, "trustStore");
    if (pemFiles.isEmpty() && trustStore.isEmpty()) {
      return jdkDefault();
    }
    if (trustStore.isEmpty()) {
      return fromPemFiles(pemFiles);
    }
    TrustAnchors store = fromKeyStore(trustStore.get(), trustStorePassword);
    return pemFiles.isEmpty() ? store : fromPemFiles(pemFiles).and(store);
  }

  /** The certificates in the given PEM files; each file must hold at least one. */
  public static TrustAnchors fromPemFiles(List<Path> files) throws IOException {
    Objects.requireNonNull(files, "files");
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no CA files given");
    }
    List<X509Certificate> certificates = new ArrayList<>();
    for (Path file : files) {
      certificates.addAll(PkiFiles.readCertificates(file, "CA file"));
    }
    return new TrustAnchors(
        certificates, files.stream().map(Path::toString).collect(Collectors.joining(", ")));
  }

  /**
   * The trusted certificate entries of a PKCS#12 or JKS trust store.
   *
   * @param password may be {@code null}: the store is then read without checking its integrity
   */
  public static TrustAnchors fromKeyStore(Path file, char[] password) throws IOException {
    Objects.requireNonNull(file, "file");
    KeyStore store = PkiFiles.loadKeyStore(file, password, "trust store");
    List<X509Certificate> certificates = new ArrayList<>();
    try {
      for (String alias : Collections.list(store.aliases())) {
        Certificate certificate = store.getCertificate(alias);
        if (store.isCertificateEntry(alias) && certificate instanceof X509Certificate) {
          certificates.add((X509Certificate) certificate);
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IOException("trust store " + file + " cannot be read: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new IOException("trust store " + file + " contains no trusted certificate entries");
    }
    return new TrustAnchors(certificates, file.toString());
  }

  /**
   * The JDK's default trust store ({@code javax.net.ssl.trustStore} if set, else {@code cacerts}).
   */
  public static TrustAnchors jdkDefault() throws IOException {
    List<X509Certificate> certificates = new ArrayList<>();
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init((KeyStore) null);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509TrustManager) {
          certificates.addAll(List.of(((X509TrustManager) manager).getAcceptedIssuers()));
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot load the JDK default trust store: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new IOException("the JDK default trust store is empty");
    }
    return new TrustAnchors(certificates, "the JDK default trust store");
  }

  /** Anchors from certificates already in memory. */
  public static TrustAnchors of(Collection<X509Certificate> certificates) {
    Objects.requireNonNull(certificates, "certificates");
    return new TrustAnchors(certificates, "memory");
  }

  /** The union of both anchor sets. */
  public TrustAnchors and(TrustAnchors other) {
    Objects.requireNonNull(other, "other");
    List<X509Certificate> union = new ArrayList<>(certificates);
    union.addAll(other.certificates);
    return new TrustAnchors(union, source + ", " + other.source);
  }

  /** For {@link java.security.cert.PKIXParameters}; unmodifiable. */
  public Set<TrustAnchor> anchors() {
    return anchors;
  }

  /** The anchor certificates, in load order; unmodifiable. */
  public Set<X509Certificate> certificates() {
    return certificates;
  }

  /** Whether this exact certificate is one of the anchors. */
  public boolean contains(X509Certificate certificate) {
    return certificates.contains(certificate);
  }

  /** Where the anchors were loaded from, for logs. */
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return "TrustAnchors[" + certificates.size() + " from " + source + "]";
  }
}
