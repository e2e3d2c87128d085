package org.passerelle.gateway.sip;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.passerelle.stream.pki.KeyMaterial;
import org.passerelle.stream.pki.TrustAnchors;

/**
 * Key and trust managers for the SIP stack, loaded from the files of {@link SipTlsSettings} with
 * the same readers as the link and S2S ({@link KeyMaterial}, {@link TrustAnchors}). Errors name the
 * file.
 */
final class TlsManagers {
  private static final String PEM_CERTIFICATE = "-----BEGIN CERTIFICATE-----";
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
    KeyMaterial keys =
        settings.keyFormat() == SipTlsSettings.KeyFormat.PEM
            ? KeyMaterial.fromPem(settings.certificateFile(), settings.keyFile())
            : KeyMaterial.fromKeyStore(
                settings.keyFile(), settings.keyStorePassword().toCharArray());
    TrustAnchors trust = trustAnchors(settings.trustFile(), settings.trustStorePassword());
    try {
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(null, null);
      keyStore.setKeyEntry(
          ALIAS,
          keys.privateKey(),
          new char[0],
          keys.certificateChain().toArray(new Certificate[0]));
      KeyStore trustStore = KeyStore.getInstance("PKCS12");
      trustStore.load(null, null);
      int i = 0;
      for (X509Certificate anchor : trust.certificates()) {
        trustStore.setCertificateEntry("anchor-" + i++, anchor);
      }
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keyStore, new char[0]);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(trustStore);
      return new TlsManagers(kmf.getKeyManagers(), tmf.getTrustManagers());
    } catch (GeneralSecurityException e) {
      throw new IOException("TLS key material " + settings.keyFile() + ": " + e.getMessage(), e);
    }
  }

  /** PEM certificates, or a PKCS#12/JKS trust store, recognised from the file's content. */
  private static TrustAnchors trustAnchors(Path file, String password) throws IOException {
    String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    return text.contains(PEM_CERTIFICATE)
        ? TrustAnchors.fromPemFiles(List.of(file))
        : TrustAnchors.fromKeyStore(file, password.toCharArray());
  }
}
