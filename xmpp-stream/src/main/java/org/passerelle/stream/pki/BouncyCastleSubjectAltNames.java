package org.passerelle.stream.pki;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.OtherName;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BouncyCastle's reading of a subjectAltName extension, for the certificates the JDK alone does not
 * cover (otherNames: SRV-ID, XmppAddr) or cannot parse; see {@link CertificateIdentity}. Its own
 * class so that BouncyCastle is loaded only for such certificates.
 */
final class BouncyCastleSubjectAltNames {

  /** id-on-xmppAddr, RFC 6120 §13.7.1.4. */
  static final ASN1ObjectIdentifier ID_ON_XMPP_ADDR = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.8.5");

  /** id-on-dnsSRV (SRVName), RFC 4985 §2. */
  static final ASN1ObjectIdentifier ID_ON_DNS_SRV = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.8.7");

  private static final Logger LOG = LoggerFactory.getLogger(CertificateIdentity.class);

  private BouncyCastleSubjectAltNames() {}

  /** As {@link CertificateIdentity#presentedIdentities}. */
  static List<PresentedIdentity> presentedIdentities(X509Certificate certificate) {
    Objects.requireNonNull(certificate, "certificate");
    byte[] extension = certificate.getExtensionValue(Extension.subjectAlternativeName.getId());
    if (extension == null) {
      return List.of();
    }
    GeneralNames names;
    try {
      names = GeneralNames.getInstance(JcaX509ExtensionUtils.parseExtensionValue(extension));
    } catch (IOException | RuntimeException e) {
      // The JDK keeps a non-critical extension it cannot parse; BouncyCastle then reports the
      // corrupt DER with assorted runtime exceptions. Peer certificates must not crash us.
      LOG.debug(
          "Ignoring malformed subjectAltName in {}", certificate.getSubjectX500Principal(), e);
      return List.of();
    }
    List<PresentedIdentity> identities = new ArrayList<>();
    for (GeneralName name : names.getNames()) {
      toIdentity(name).ifPresent(identities::add);
    }
    return List.copyOf(identities);
  }

  private static Optional<PresentedIdentity> toIdentity(GeneralName name) {
    if (name.getTagNo() == GeneralName.dNSName) {
      return stringValue(name.getName())
          .map(value -> new PresentedIdentity(PresentedIdentity.Type.DNS_ID, value));
    }
    if (name.getTagNo() != GeneralName.otherName) {
      return Optional.empty();
    }
    OtherName otherName;
    try {
      otherName = OtherName.getInstance(name.getName());
    } catch (RuntimeException e) { // malformed otherName, see presentedIdentities
      return Optional.empty();
    }
    PresentedIdentity.Type type;
    if (ID_ON_DNS_SRV.equals(otherName.getTypeID())) {
      type = PresentedIdentity.Type.SRV_ID;
    } else if (ID_ON_XMPP_ADDR.equals(otherName.getTypeID())) {
      type = PresentedIdentity.Type.XMPP_ADDR;
    } else {
      return Optional.empty();
    }
    return stringValue(otherName.getValue()).map(value -> new PresentedIdentity(type, value));
  }

  private static Optional<String> stringValue(Object asn1) {
    return asn1 instanceof ASN1String
        ? Optional.of(((ASN1String) asn1).getString())
        : Optional.empty();
  }
}
