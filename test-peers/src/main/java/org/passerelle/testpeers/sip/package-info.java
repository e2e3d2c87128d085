/**
 * A SIP user agent for tests, on JAIN-SIP: {@link org.passerelle.testpeers.sip.SipTestClient}
 * registers (RFC 3261 §10), sends and receives MESSAGEs (RFC 3428), publishes its presence (RFC
 * 3903) and subscribes to others' (RFC 6665, RFC 3856). Built as a presence agent, it is also the
 * notifier of its own presence: the test answers each SUBSCRIBE and sends the NOTIFYs through an
 * {@link org.passerelle.testpeers.sip.IncomingSubscription}.
 */
package org.passerelle.testpeers.sip;
