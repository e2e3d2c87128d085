package org.passerelle.bench.load;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Where everything of a load run listens. The addresses 127.0.0.160–189 are reserved for the
 * benchmarks, so a run can go on beside the integration tests. A run uses six of them from 160 on;
 * {@code -Dpasserelle.bench.first-address=170} (or 180) moves it, so that two runs can go on side
 * by side; so does 230–244 (a second range, 230–249, for parallel work on a shared machine).
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

  /** The bare relay of the floor measurement. */
  public static final String RELAY = address(5);

  public static final int S2S_PORT = 5269;
  public static final int LINK_PORT = 23456;
  public static final int GATEWAY_SIP_PORT = 5070;
  public static final int SIP_PORT = 5060;
  public static final int PROXY_ADMIN_PORT = 9269;
  public static final int GATEWAY_ADMIN_PORT = 9270;
  public static final int RELAY_PORT = 5270;
  public static final int RELAY_SINK_PORT = 5271;

  public Topology {
    if (remoteDomains < 1 || remoteDomains > 100) {
      throw new IllegalArgumentException("remoteDomains must be 1..100, was " + remoteDomains);
    }
  }

  private static int firstAddress() {
    int first = Integer.getInteger("passerelle.bench.first-address", 160);
    if ((first < 160 || first > 184) && (first < 230 || first > 244)) {
      throw new IllegalArgumentException(
          "passerelle.bench.first-address must be 160..184 or 230..244 (the reserved 127.0.0.160–189"
              + " and 230–249), was "
              + first);
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
}
