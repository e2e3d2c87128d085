/**
 * Test support shared by the integration tests: a test certificate authority and real peers
 * (Prosody, ejabberd, Kamailio) configured and started on loopback addresses.
 */
package org.passerelle.testpeers;
