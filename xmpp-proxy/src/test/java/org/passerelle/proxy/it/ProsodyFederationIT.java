package org.passerelle.proxy.it;

import org.junit.jupiter.api.Nested;
import org.passerelle.testpeers.ProsodyPeer;
import org.passerelle.testpeers.XmppPeer;
import org.passerelle.testpeers.XmppPeerConfig;

/** Prosody (Debian package) federates with the proxy in both directions, in both modes. */
class ProsodyFederationIT extends PeerFederationIT {
  @Override
  String domain() {
    return "p.test";
  }

  @Override
  String address() {
    return "127.0.0.21";
  }

  @Override
  XmppPeer newPeer(XmppPeerConfig config) {
    return new ProsodyPeer(config);
  }

  @Nested
  class TlsDialback extends DialbackMode {}

  @Nested
  class TlsSaslExternal extends SaslExternalMode {}
}
