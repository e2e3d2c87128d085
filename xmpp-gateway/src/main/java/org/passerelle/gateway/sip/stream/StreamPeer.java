package org.passerelle.gateway.sip.stream;

import java.net.InetSocketAddress;

/** The other end of a connection to the gateway's own SIP listener, as its requests see it. */
public interface StreamPeer {

  /** Where the connection comes from. */
  InetSocketAddress remote();

  /** Whether the connection is TLS. */
  boolean tls();

  /**
   * Writes an encoded response on the connection the request came on (RFC 3261 §18.2.2); from any
   * thread, without waiting. If the connection has closed, the response is dropped with a line in
   * the log: over TCP there is no other route back that the peer listens on for certain.
   */
  void send(byte[] response);
}
