/**
 * Integration tests of the gateway against real peers (Prosody, ejabberd, Kamailio) started on
 * loopback by the {@code test-peers} module; run by Failsafe as {@code *IT}.
 */
package org.passerelle.gateway.it;
