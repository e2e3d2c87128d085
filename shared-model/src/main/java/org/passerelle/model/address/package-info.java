/**
 * Addresses across the gateway (RFC 7247 §6): SIP and SIPS URIs ({@link
 * org.passerelle.model.address.SipUri}), cheap JID syntax checks (RFC 7622 §3), JID escaping
 * (XEP-0106) and the mapping between the two ({@link org.passerelle.model.address.AddressMapper}).
 *
 * <p>The mapping runs for every translated stanza, so nothing here builds a Tinder {@code JID} (its
 * stringprep costs ~150 µs per uncached parse): the checks are character scans, and the results are
 * plain strings and immutable values.
 *
 * <p>Domains are carried as U-labels in JIDs (RFC 7622 §3.2.1) and as lower-case A-labels in SIP
 * URIs (RFC 3261 §25.1 allows only ASCII host names); {@link java.net.IDN} converts between them in
 * both directions.
 */
package org.passerelle.model.address;
