package org.passerelle.proxy.s2s;

/** How a domain was authenticated on a server-to-server stream. */
public enum AuthMethod {
  /** Certificate, through SASL EXTERNAL (XEP-0178). */
  SASL_EXTERNAL,
  /** Server dialback, verified with the authoritative server (XEP-0220). */
  DIALBACK,
  /** A dialback request accepted on the strength of the certificate (XEP-0344 §2.4). */
  DIALBACK_CERTIFICATE
}
