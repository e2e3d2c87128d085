/**
 * Test support shared by the integration tests: a test certificate authority and real peers
 * (Prosody, ejabberd, Kamailio) configured and started on loopback addresses.
 *
 * <p>{@link org.passerelle.testpeers.TestCa} issues the certificates; {@link
 * org.passerelle.testpeers.ProsodyPeer} and {@link org.passerelle.testpeers.EjabberdPeer} run the
 * installed Debian packages as their own users, each on its own 127.0.0.x address with S2S on port
 * 5269 (RFC 6120) and plain c2s on 5222, secured as {@link org.passerelle.testpeers.S2sSecurity}
 * says: STARTTLS with server dialback (XEP-0220), or STARTTLS with SASL EXTERNAL (XEP-0178). {@link
 * org.passerelle.testpeers.XmppTestClient} logs a Smack user in to a peer to send and await
 * messages and presence (RFC 6121), matched with {@link org.passerelle.testpeers.Presences}. {@code
 * PeerFederationSmokeIT} shows the whole harness at work. {@link
 * org.passerelle.testpeers.PostgresPeer} runs PostgreSQL for the subscription store that a pool of
 * gateways shares.
 */
package org.passerelle.testpeers;
