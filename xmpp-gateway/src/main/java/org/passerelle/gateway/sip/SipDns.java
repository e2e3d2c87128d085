package org.passerelle.gateway.sip;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The DNS questions RFC 3263 resolution asks; a fake answers them in tests. */
interface SipDns {

  /** One SRV record (RFC 2782). */
  record Srv(int priority, int weight, int port, String target) {}

  /**
   * The SRV records of an absolute or relative name such as {@code _sip._udp.example.com}; empty if
   * it has none. Fails only when DNS gave no answer (timeout, SERVFAIL).
   */
  CompletableFuture<List<Srv>> srv(String name);

  /** The IPv4 addresses of a host name; empty if it has none. Fails as {@link #srv} does. */
  CompletableFuture<List<InetAddress>> ipv4(String host);
}
