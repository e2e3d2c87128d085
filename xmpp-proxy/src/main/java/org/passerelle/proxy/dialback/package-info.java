/**
 * Server Dialback (XEP-0220): the keys this server hands out as Initiating Server and checks as
 * Authoritative Server, generated as recommended by XEP-0185 §2, and the long-lived secret they are
 * derived from.
 */
package org.passerelle.proxy.dialback;
