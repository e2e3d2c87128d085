/**
 * The end-to-end load tool: the proxy and the gateway run as separate processes, surrounded by a
 * remote-XMPP-server simulator (S2S with STARTTLS and server dialback, RFC 6120 §5, XEP-0220), a
 * SIP sink answering MESSAGEs and a SIP client sending them (RFC 3428). Every load is bounded in
 * count and time and stays on loopback. See {@code benchmarks/README.md}.
 */
package org.passerelle.bench.load;
