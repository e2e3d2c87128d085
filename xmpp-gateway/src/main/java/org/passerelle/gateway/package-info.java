/** The internal process: translates between XMPP and SIP (RFC 7247, RFC 7572, RFC 8048). */
package org.passerelle.gateway;
