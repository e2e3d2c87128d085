/**
 * Where each stanza goes (RFC 6120 §10): stanzas for the organisation's domains go to the local
 * side (the gateway, once attached), others out over server-to-server streams; what cannot be
 * delivered is answered with a stanza error (§8.3), never dropped.
 */
package org.passerelle.proxy.routing;
