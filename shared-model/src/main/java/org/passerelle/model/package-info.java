/**
 * Types both Passerelle processes share: XMPP namespaces and addresses, the stanza model (Tinder
 * packets), the link protocol and configuration types. Nothing here depends on Netty or JAIN-SIP.
 */
package org.passerelle.model;
