package org.passerelle.proxy.it;

import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;
import org.passerelle.testpeers.XmppPeer;
import org.passerelle.testpeers.XmppPeerConfig;

/**
 * Openfire federates with the proxy in both directions, over TLS with dialback: the same
 * conversation as Prosody and ejabberd ({@link FederationScenarios}), against Openfire in a
 * container (image: {@code -Dopenfire.image}, OPENFIRE_IMAGE, or {@link
 * OpenfirePeer#DEFAULT_IMAGE}).
 *
 * <p>No integration test is skipped in CI but this one: it needs a Docker engine, and where
 * Testcontainers finds none it is reported skipped with the reason ({@link DockerAvailable}). Set
 * {@code -Dpasserelle.requireDocker=true} where Docker must be present, to make it fail instead.
 * Only dialback: Openfire makes its own self-signed certificate, which nothing here trusts.
 */
@ExtendWith(DockerAvailable.class)
class OpenfireFederationIT extends PeerFederationIT {
  @Override
  String domain() {
    return "o.test";
  }

  @Override
  String address() {
    return "127.0.0.151";
  }

  @Override
  String proxyAddress() {
    return "127.0.0.150";
  }

  @Override
  XmppPeer newPeer(XmppPeerConfig config) {
    return new OpenfirePeer(
        config, OpenfirePeer.configuredImage(), Map.of("alice", "alice-secret"));
  }

  @Nested
  class TlsDialback extends DialbackMode {}
}
