/**
 * Certificates for server-to-server TLS: our own key material, the TLS contexts built from it, the
 * trust anchors, and the check whether a peer's certificate chain is trusted and names the peer's
 * domain (RFC 6120 §13.7, with the identity rules of RFC 6125 §6 as updated by RFC 9525), which
 * decides whether SASL EXTERNAL (XEP-0178) may be offered or dialback (XEP-0220) is needed.
 *
 * <p>TLS handshakes accept any peer certificate; authentication is decided afterwards by {@link
 * org.passerelle.stream.pki.PeerCertificateVerifier}, see {@link
 * org.passerelle.stream.pki.TlsContexts}.
 */
package org.passerelle.stream.pki;
