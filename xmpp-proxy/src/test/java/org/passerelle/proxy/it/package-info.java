/**
 * Integration tests against real XMPP servers (Prosody, ejabberd) started on loopback by the {@code
 * test-peers} module; run by Failsafe as {@code *IT}.
 */
package org.passerelle.proxy.it;
