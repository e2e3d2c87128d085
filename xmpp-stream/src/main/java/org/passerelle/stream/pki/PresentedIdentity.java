package org.passerelle.stream.pki;

import java.util.Objects;

/**
 * One identity a certificate presents for its subject (RFC 6125 §1.8 "presented identifier"), as
 * written in the certificate.
 *
 * @param type which kind of subjectAltName entry it came from
 * @param value the entry's text, unnormalised (for diagnostics)
 */
public record PresentedIdentity(Type type, String value) {

  /** The identifier types an XMPP server certificate may carry (RFC 6120 §13.7.1.2). */
  public enum Type {
    /** subjectAltName dNSName (RFC 5280 §4.2.1.6), e.g. {@code example.com}. */
    DNS_ID("DNS-ID"),
    /** subjectAltName otherName id-on-dnsSRV (RFC 4985), e.g. {@code _xmpp-server.example.com}. */
    SRV_ID("SRV-ID"),
    /** subjectAltName otherName id-on-xmppAddr (RFC 6120 §13.7.1.4), e.g. {@code example.com}. */
    XMPP_ADDR("XmppAddr");

    private final String label;

    Type(String label) {
      this.label = label;
    }

    /** The name used in the specifications. */
    public String label() {
      return label;
    }
  }

  public PresentedIdentity {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
  }

  @Override
  public String toString() {
    return type.label() + ":" + value;
  }
}
