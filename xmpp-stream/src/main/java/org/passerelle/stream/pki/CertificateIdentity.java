package org.passerelle.stream.pki;

import java.net.IDN;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a certificate identifies an XMPP domain for server-to-server use (RFC 6120 §13.7.1.2,
 * §13.7.2.1; matching per RFC 6125 §6 as updated by RFC 9525).
 *
 * <p>Accepted presented identities, all from the subjectAltName extension:
 *
 * <ul>
 *   <li>DNS-ID (dNSName), with a wildcard only as the complete left-most label, matching exactly
 *       one label: {@code *.example.com} matches {@code a.example.com}, but neither {@code
 *       example.com} nor {@code a.b.example.com} (RFC 6125 §6.4.3, RFC 9525 §6.3). Partial
 *       wildcards ({@code f*.example.com}) and wildcards over a single label ({@code *.com}) never
 *       match.
 *   <li>SRV-ID {@code _xmpp-server.<domain>} (RFC 6120 §13.7.1.2.1, RFC 4985); its domain part is
 *       matched like a DNS-ID (RFC 6125 §6.5.1). Other services ({@code _xmpp-client}) do not
 *       identify a server peer.
 *   <li>XmppAddr (RFC 6120 §13.7.1.4) holding a bare domain; compared exactly, no wildcards.
 * </ul>
 *
 * <p>The subject Common Name is never used: RFC 9525 removed the CN-ID fallback. Comparison is
 * case-insensitive on the IDNA ASCII form ({@link IDN#toASCII}) of both sides; a trailing dot is
 * ignored. A reference domain that is not a valid DNS name (or is an IPv4 literal) matches nothing.
 */
public final class CertificateIdentity {

  /** The service label of the SRV-ID a server peer must carry, RFC 6120 §13.7.1.2.1. */
  static final String XMPP_SERVER_SERVICE = "_xmpp-server";

  private static final String WILDCARD_PREFIX = "*.";
  private static final String SUBJECT_ALT_NAME = "2.5.29.17";
  // GeneralName tags as X509Certificate#getSubjectAlternativeNames numbers them (RFC 5280
  // §4.2.1.6).
  private static final int OTHER_NAME = 0;
  private static final int DNS_NAME = 2;

  private CertificateIdentity() {}

  /**
   * The DNS-IDs, SRV-IDs and XmppAddrs the certificate presents, in certificate order. Other
   * subjectAltName types are left out. A malformed subjectAltName extension presents nothing.
   */
  public static List<PresentedIdentity> presentedIdentities(X509Certificate certificate) {
    Objects.requireNonNull(certificate, "certificate");
    Collection<List<?>> names;
    try {
      names = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      names = null;
    }
    if (names == null) {
      // No extension, or one the JDK could not parse: BouncyCastle's reader decides.
      return certificate.getExtensionValue(SUBJECT_ALT_NAME) == null
          ? List.of()
          : BouncyCastleSubjectAltNames.presentedIdentities(certificate);
    }
    // The JDK hands otherNames (SRV-ID, XmppAddr) over as raw DER; BouncyCastle reads those. Most
    // certificates carry dNSNames only, and then BouncyCastle is never loaded.
    List<PresentedIdentity> identities = new ArrayList<>();
    for (List<?> name : names) {
      Object type = name.get(0);
      if (Integer.valueOf(OTHER_NAME).equals(type)) {
        return BouncyCastleSubjectAltNames.presentedIdentities(certificate);
      }
      if (Integer.valueOf(DNS_NAME).equals(type) && name.get(1) instanceof String value) {
        if (value.chars().anyMatch(c -> c > 0x7e)) {
          // Not IA5 (7-bit): the JDK and BouncyCastle decode such bytes differently; keep the
          // latter's reading, as before this path existed.
          return BouncyCastleSubjectAltNames.presentedIdentities(certificate);
        }
        identities.add(new PresentedIdentity(PresentedIdentity.Type.DNS_ID, value));
      }
    }
    return List.copyOf(identities);
  }

  /** Whether the certificate identifies {@code domain} as an XMPP server. */
  public static boolean matches(X509Certificate certificate, String domain) {
    return matches(presentedIdentities(certificate), domain);
  }

  /** Whether any of the presented identities identifies {@code domain} as an XMPP server. */
  public static boolean matches(List<PresentedIdentity> identities, String domain) {
    Objects.requireNonNull(identities, "identities");
    Objects.requireNonNull(domain, "domain");
    Optional<String> reference = toAsciiDomain(domain);
    if (reference.isEmpty()) {
      return false;
    }
    for (PresentedIdentity identity : identities) {
      if (matches(identity, reference.get())) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(PresentedIdentity identity, String reference) {
    String value = identity.value();
    return switch (identity.type()) {
      case DNS_ID -> matchesDnsName(value, reference);
      case SRV_ID -> {
        int dot = value.indexOf('.');
        yield dot > 0
            && value.substring(0, dot).equalsIgnoreCase(XMPP_SERVER_SERVICE)
            && matchesDnsName(value.substring(dot + 1), reference);
      }
      // A server's XmppAddr is a bare domain; one with a localpart or resource names an account.
      case XMPP_ADDR ->
          value.indexOf('@') < 0
              && value.indexOf('/') < 0
              && toAsciiDomain(value).filter(reference::equals).isPresent();
    };
  }

  /** DNS-ID matching, RFC 6125 §6.4.1 and §6.4.3 as restricted by RFC 9525 §6.3. */
  private static boolean matchesDnsName(String presented, String reference) {
    if (!presented.startsWith(WILDCARD_PREFIX)) {
      return presented.indexOf('*') < 0
          && toAsciiDomain(presented).filter(reference::equals).isPresent();
    }
    String parent = presented.substring(WILDCARD_PREFIX.length());
    // [design] "*.com" would cover a whole top-level domain; require at least two labels after "*".
    if (parent.indexOf('*') >= 0 || parent.indexOf('.') < 0) {
      return false;
    }
    int firstDot = reference.indexOf('.');
    return firstDot > 0
        && toAsciiDomain(parent).filter(reference.substring(firstDot + 1)::equals).isPresent();
  }

  /**
   * The lower-case IDNA ASCII form of a domain without its trailing dot, or empty if it is not a
   * host name made of letters, digits and hyphens (STD 3) or looks like an IPv4 address.
   */
  static Optional<String> toAsciiDomain(String domain) {
    String name = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
    if (name.isEmpty()) {
      return Optional.empty();
    }
    String ascii;
    try {
      ascii = IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (ascii.isEmpty() || ascii.startsWith(".") || ascii.endsWith(".") || ascii.contains("..")) {
      return Optional.empty();
    }
    // A top-level label is never all digits (RFC 3696 §2): this is an IP address, not a DNS name.
    String topLabel = ascii.substring(ascii.lastIndexOf('.') + 1);
    if (topLabel.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Optional.empty();
    }
    return Optional.of(ascii);
  }
}
