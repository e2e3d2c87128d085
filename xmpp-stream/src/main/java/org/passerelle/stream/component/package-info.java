/**
 * The link between proxy and gateway: the external component protocol (XEP-0114) with
 * acknowledgements in the manner of stream management (XEP-0198), so that a stanza handed over the
 * link is either known to be taken by the other side or given back for redelivery or an error —
 * never lost between processes.
 */
package org.passerelle.stream.component;
