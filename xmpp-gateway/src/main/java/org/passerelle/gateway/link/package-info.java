/**
 * The gateway's side of the link: it dials the proxy (or any XMPP server that hosts external
 * components) and attaches for its domain with XEP-0114, reconnecting with backoff. With our proxy,
 * stanzas are acknowledged both ways (XEP-0198 elements), so a send completes only when the proxy
 * has taken the stanza.
 */
package org.passerelle.gateway.link;
