package org.passerelle.testpeers;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A real XMPP server started on one loopback address for integration tests. It serves one domain,
 * listens for clients on {@link #C2S_PORT} (plain TCP) and for servers on {@link #S2S_PORT}, and
 * resolves the other test domains it was configured with.
 */
public interface XmppPeer extends TestPeer {

  /** Client-to-server port, plain TCP with SASL PLAIN and SCRAM allowed. */
  int C2S_PORT = 5222;

  /**
   * Server-to-server port. Fixed: the peers find each other (and our proxy) through the A record of
   * the domain on the default port, since SRV lookups for {@code .test} fail at once.
   */
  int S2S_PORT = 5269;

  /** The XMPP domain this peer serves. */
  String domain();

  /** The loopback address every listener of this peer binds. */
  InetAddress address();

  default InetSocketAddress c2sAddress() {
    return new InetSocketAddress(address(), C2S_PORT);
  }

  default InetSocketAddress s2sAddress() {
    return new InetSocketAddress(address(), S2S_PORT);
  }

  /**
   * Writes the configuration and starts the server; returns once it serves on its c2s and S2S
   * ports. The working directory (data, logs) is created fresh by the first start and kept by later
   * ones. If another test run on this machine has a peer on the same address, waits for it to
   * finish (up to three minutes).
   *
   * @throws PeerStartException if it reports a critical error, exits or is not ready in time, or
   *     its ports are taken
   * @throws IllegalStateException if it is running already
   */
  @Override
  void start();

  /** Creates an account {@code user@domain()}; the peer must be running. */
  void addUser(String user, String password);
}
