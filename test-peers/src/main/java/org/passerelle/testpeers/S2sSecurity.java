package org.passerelle.testpeers;

/** How a test peer secures and authenticates its server-to-server streams. */
public enum S2sSecurity {
  /**
   * STARTTLS (RFC 6120 section 5) with the peer's certificate; server dialback (XEP-0220)
   * authenticates, and a certificate that does not validate is accepted. A certificate that does
   * validate against the trusted CA may still be used for SASL EXTERNAL instead.
   */
  TLS_DIALBACK,

  /**
   * STARTTLS required, and the only authentication is SASL EXTERNAL with certificates from the
   * trusted test CA (RFC 6120 section 13.7.1.2, XEP-0178); no dialback. The other end must present
   * a client certificate when it connects in.
   */
  TLS_SASL_EXTERNAL,

  /**
   * No TLS at all (RFC 6120 section 5 not offered, not attempted): server dialback over a plaintext
   * stream. Only for testing that the other end refuses it where TLS is required.
   */
  PLAIN
}
