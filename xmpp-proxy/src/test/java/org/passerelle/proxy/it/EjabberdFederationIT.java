package org.passerelle.proxy.it;

import org.junit.jupiter.api.Nested;
import org.passerelle.testpeers.EjabberdPeer;
import org.passerelle.testpeers.XmppPeer;
import org.passerelle.testpeers.XmppPeerConfig;

/** ejabberd (Debian package) federates with the proxy in both directions, in both modes. */
class EjabberdFederationIT extends PeerFederationIT {
  @Override
  String domain() {
    return "e.test";
  }

  @Override
  String address() {
    return "127.0.0.22";
  }

  @Override
  XmppPeer newPeer(XmppPeerConfig config) {
    return new EjabberdPeer(config);
  }

  @Nested
  class TlsDialback extends DialbackMode {}

  @Nested
  class TlsSaslExternal extends SaslExternalMode {}
}
