package org.passerelle.gateway.sip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Ports free for both UDP and TCP on loopback right now. JAIN-SIP cannot bind port 0, so tests pick
 * a port the OS just handed out and release it.
 */
final class FreePorts {

  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private FreePorts() {}

  static int udpAndTcp() {
    return udpAndTcp(LOOPBACK);
  }

  /** A port free for both UDP and TCP on {@code address} right now. */
  static int udpAndTcp(InetAddress address) {
    for (int attempt = 0; attempt < 20; attempt++) {
      try (ServerSocket tcp = new ServerSocket()) {
        tcp.setReuseAddress(true);
        tcp.bind(new InetSocketAddress(address, 0));
        int port = tcp.getLocalPort();
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(address, port))) {
          return udp.getLocalPort();
        } catch (IOException taken) {
          // try another
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no port free for both UDP and TCP");
  }
}
