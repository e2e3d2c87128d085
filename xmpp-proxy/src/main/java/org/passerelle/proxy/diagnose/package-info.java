/**
 * {@code passerelle diagnose}: what a remote operator needs to fix federation with one domain, step
 * by step. The federation policy's decision, how the domain's servers are found (RFC 6120 §3.2,
 * XEP-0368: SRV, else A/AAAA, else the partner's address), then for each server the steps of a real
 * outbound stream, observed through {@link org.passerelle.proxy.s2s.S2sEvents}: TCP, the stream
 * header, STARTTLS (RFC 6120 §5), the TLS handshake, the certificate and its RFC 6125 identity,
 * SASL EXTERNAL (XEP-0178) and server dialback (XEP-0220). The streams are the proxy's own ({@code
 * OutboundStreams}), not a second client, so what diagnose sees is what the proxy would do.
 *
 * <p>Dialback needs the remote server to call back to our domain. Diagnose listens for that call on
 * the proxy's address when it is free, and answers for the keys it sent; when the proxy itself runs
 * there, the proxy answers, and confirms only keys it sent itself (XEP-0220 §3.1), so the result is
 * reported as inconclusive.
 */
package org.passerelle.proxy.diagnose;
