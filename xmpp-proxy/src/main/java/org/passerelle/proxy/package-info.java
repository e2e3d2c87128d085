/**
 * The edge process: XMPP server-to-server federation (RFC 6120) with STARTTLS, server dialback
 * (XEP-0220), SASL EXTERNAL (XEP-0178) and DNS SRV discovery (RFC 6120 §3.2, XEP-0368).
 */
package org.passerelle.proxy;
