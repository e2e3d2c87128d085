/**
 * Our own certificates over time: the proxy refuses to start with an expired certificate of its own
 * (peers would refuse it, RFC 5280 §6.1.3), and warns ahead of expiry, at start and daily, for its
 * certificate chain and the trust anchors it was configured with.
 */
package org.passerelle.proxy.pki;
