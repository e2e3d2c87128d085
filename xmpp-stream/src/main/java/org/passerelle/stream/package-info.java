/**
 * The XMPP stream codec on Netty (RFC 6120 §4, §11): a non-blocking XML decoder that turns bytes
 * into a stream header, top-level elements and the stream end, with size and depth limits and no
 * DTDs or entities; and the encoder for the other direction. Used by both processes: the proxy for
 * server-to-server streams and both ends of the component link.
 */
package org.passerelle.stream;
