package org.passerelle.bench.load;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Where everything of a load run listens. The addresses 127.0.0.160–189 are reserved for the
 * benchmarks, so a run can go on beside the integration tests. A run uses twelve of them from 160
 * on (six for Passerelle's topology, four for the bare relays of the floor measurement, two for the
 * Prosody servers of the side-by-side runs); {@code -Dpasserelle.bench.first-address=172} moves it,
 * so that two runs can go on side by side, and any first address up to 244 may be given where
 * another range is free.
 *
 * @param remoteDomains how many remote XMPP domains the simulator plays
 */
public record Topology(int remoteDomains) {
  public static final String ORG_DOMAIN = "org.load.test";

  /** The last octet of the first address; the reserved ranges are 160–189 and 230–249. */
  private static final int FIRST = firstAddress();

  public static final String PROXY = address(0);
  public static final String GATEWAY = address(1);

  /** The simulator's S2S server: every remote domain's authoritative server and S2S sink. */
  public static final String REMOTE_SERVER = address(2);

  /** The SIP sink (the gateway's outbound proxy) and the SIP client's source: trusted. */
  public static final String SIP_SERVER = address(3);

  /** The source address of the simulator's outgoing S2S streams. */
  public static final String REMOTE_CLIENT = address(4);

  // The sixth address (offset 5) is left free.

  /** The first bare relay of the floor measurement (the proxy's hop). */
  public static final String RELAY_1 = address(6);

  /** The second bare relay (the gateway's hop). */
  public static final String RELAY_2 = address(7);

  /** The tool's sink at the end of the relay chain (where the SIP sink would be). */
  public static final String RELAY_SINK = address(8);

  /** The source address of the tool's connections to the first relay. */
  public static final String RELAY_CLIENT = address(9);

  /** Prosody A of the side-by-side reference: the load senders' server. */
  public static final String PROSODY_A = address(10);

  /** Prosody B: the load receivers' server. */
  public static final String PROSODY_B = address(11);

  public static final int S2S_PORT = 5269;
  public static final int LINK_PORT = 23456;
  public static final int GATEWAY_SIP_PORT = 5070;
  public static final int SIP_PORT = 5060;
  public static final int PROXY_ADMIN_PORT = 9269;
  public static final int GATEWAY_ADMIN_PORT = 9270;
  public static final int RELAY_PORT = 5270;
  public static final int RELAY_ADMIN_PORT = 9271;
  public static final int RELAY_SINK_PORT = 5271;

  public Topology {
    if (remoteDomains < 1 || remoteDomains > 100) {
      throw new IllegalArgumentException("remoteDomains must be 1..100, was " + remoteDomains);
    }
  }

  private static int firstAddress() {
    // Not Integer.getInteger, which reads "127.0.0.200" as no value and silently gives the default.
    String value = System.getProperty("passerelle.bench.first-address", "160").trim();
    int first;
    try {
      first = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      first = -1;
    }
    if (first < 2 || first > 244) {
      throw new IllegalArgumentException(
          "passerelle.bench.first-address must be 2..244 (by default the reserved 127.0.0.160–189),"
              + " was "
              + value);
    }
    return first;
  }

  private static String address(int offset) {
    return "127.0.0." + (FIRST + offset);
  }

  public List<String> remoteDomainNames() {
    List<String> names = new ArrayList<>(remoteDomains);
    for (int i = 1; i <= remoteDomains; i++) {
      names.add("r" + i + ".load.test");
    }
    return names;
  }

  public static InetSocketAddress proxyS2s() {
    return new InetSocketAddress(PROXY, S2S_PORT);
  }

  public static InetSocketAddress remoteServer() {
    return new InetSocketAddress(REMOTE_SERVER, S2S_PORT);
  }

  public static InetSocketAddress sipSink() {
    return new InetSocketAddress(SIP_SERVER, SIP_PORT);
  }

  public static InetSocketAddress gatewaySip() {
    return new InetSocketAddress(GATEWAY, GATEWAY_SIP_PORT);
  }

  public static InetSocketAddress proxyAdmin() {
    return new InetSocketAddress(PROXY, PROXY_ADMIN_PORT);
  }

  public static InetSocketAddress gatewayAdmin() {
    return new InetSocketAddress(GATEWAY, GATEWAY_ADMIN_PORT);
  }

  public static InetSocketAddress relay(String address) {
    return new InetSocketAddress(address, RELAY_PORT);
  }

  public static InetSocketAddress relayAdmin(String address) {
    return new InetSocketAddress(address, RELAY_ADMIN_PORT);
  }

  public static InetSocketAddress relaySink() {
    return new InetSocketAddress(RELAY_SINK, RELAY_SINK_PORT);
  }
}
