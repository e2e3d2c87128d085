/**
 * The proxy's side of the link to gateways: gateways dial in over mutually-authenticated TLS and
 * attach for a domain with the external component protocol (XEP-0114); stanzas both ways are
 * acknowledged (XEP-0198 elements), and what a gateway did not take is redelivered or bounced.
 */
package org.passerelle.proxy.link;
